#include "engine/model/backend_agreement.h"

#include "engine/gguf/gguf_file.h"
#include "engine/model/backend_speed.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace latent {
namespace {

constexpr int64_t kTokens = 3; // more than one: a batch's product, not only decoding's

std::vector<float> productOn(Backend& backend, const gguf::GgufFile& file, const gguf::TensorInfo& info,
                             const std::vector<float>& x)
{
    const Tensor weight = backend.weight(file, info, WeightUse::Product);
    Tensor input = backend.allocate(gguf::TensorType::F32, weight.cols, kTokens);
    Tensor out = backend.allocate(gguf::TensorType::F32, weight.rows, kTokens);
    backend.upload(input, x);
    backend.matmul(out, weight, input);
    backend.synchronize();
    std::vector<float> values(size_t(weight.rows * kTokens));
    backend.read(out, values);
    return values;
}

} // namespace

double productDisagreement(Backend& reference, Backend& device, const gguf::GgufFile& file)
{
    const gguf::TensorInfo* info = measuredMatrix(file);
    if (!info)
        return 0;
    std::mt19937 random(11);
    std::uniform_real_distribution<float> value(-1, 1);
    std::vector<float> x(size_t(info->shape[0]) * kTokens);
    for (float& v : x)
        v = value(random);
    const std::vector<float> expected = productOn(reference, file, *info, x), got = productOn(device, file, *info, x);
    double largest = 0, difference = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        largest = std::max(largest, double(std::fabs(expected[i])));
        // A NaN on the device is as far off as can be.
        difference = std::isnan(got[i]) ? INFINITY : std::max(difference, double(std::fabs(got[i] - expected[i])));
    }
    return largest > 0 ? difference / largest : difference;
}

} // namespace latent
