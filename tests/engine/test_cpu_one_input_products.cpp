// The CPU backend's products of one input (matmuls: a layer's queries, keys and values, a
// feed-forward's gate and up), which run as one parallel loop over (matrix, block of rows) where a
// batch is small (decoding), against what every other backend runs: matmul() after matmul(). The
// two must agree to the bit on every kernel table this processor runs, with matrices of different
// types in one call (interleaved and not, float and quantized), row counts that are not multiples
// of the loop's blocks or the kernels' groups, and batches on both sides of the size where the
// CPU takes matmul()'s path.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"
#include "tests/support/random_floats.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <memory>

using namespace latent;
using gguf::TensorType;

namespace {

// Matrices of one width in one GGUF file, "w0", "w1", ..., of the given types and row counts.
class MatrixFile {
public:
    MatrixFile(int64_t cols, const std::vector<TensorType>& types, const std::vector<int64_t>& rows)
    {
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        for (size_t i = 0; i < types.size(); ++i) {
            const std::vector<float> values = test::randomFloats(size_t(cols * rows[i]), uint32_t(10 + i));
            std::vector<uint8_t>& bytes = bytes_.emplace_back(
                types[i] == TensorType::F32
                    ? std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                                           reinterpret_cast<const uint8_t*>(values.data() + values.size()))
                    : quant::quantize(types[i], values));
            writer.addTensor("w" + std::to_string(i), types[i], {uint64_t(cols), uint64_t(rows[i])}, bytes);
        }
        const std::string path = dir_.filePath("matrices.gguf").toStdString();
        writer.write(path);
        file_ = std::make_unique<gguf::GgufFile>(gguf::GgufFile::open(path));
    }

    std::vector<Tensor> on(Backend& backend) const
    {
        std::vector<Tensor> weights;
        for (size_t i = 0; i < bytes_.size(); ++i)
            weights.push_back(backend.weight(*file_, *file_->findTensor("w" + std::to_string(i)), WeightUse::Product));
        return weights;
    }

private:
    QTemporaryDir dir_;
    std::vector<std::vector<uint8_t>> bytes_;
    std::unique_ptr<gguf::GgufFile> file_;
};

std::vector<float> valuesOf(Backend& backend, const Tensor& tensor)
{
    std::vector<float> values(size_t(tensor.cols * tensor.rows));
    backend.read(tensor, values);
    return values;
}

// The same bits value by value; else a failure naming the table, the output and the value.
void compareBits(const std::vector<float>& actual, const std::vector<float>& expected, const cpu::DotKernels& table,
                 const QString& output)
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
        if (std::memcmp(&actual[i], &expected[i], sizeof(float)) != 0)
            QFAIL(qPrintable(QStringLiteral("%1 kernels, %2: value %3 is %4, one after the other %5")
                                 .arg(QString::fromUtf8(table.name.data(), int(table.name.size())), output)
                                 .arg(i)
                                 .arg(double(actual[i]), 0, 'g', 9)
                                 .arg(double(expected[i]), 0, 'g', 9)));
    }
}

struct Shape {
    const char* name;
    int cols;
    std::vector<TensorType> types;
    std::vector<int64_t> rows;
};

// Rows of 160 interleave (Q4_0, Q5_0, Q8_0, Q4_K, Q6_K on AVX2 and AVX-512) and end on half a
// block of the loop's 32 rows; 75 and 37 end inside the block kernels' groups of 8; 16 is less
// than one block.
const Shape kShapes[] = {
    {"Q4_K, Q4_K, Q6_K (a llama layer's q, k, v)", 256, {TensorType::Q4_K, TensorType::Q4_K, TensorType::Q6_K}, {160, 96, 96}},
    {"Q4_0 x3", 64, {TensorType::Q4_0, TensorType::Q4_0, TensorType::Q4_0}, {160, 160, 64}},
    {"Q8_0, Q5_0, F32", 96, {TensorType::Q8_0, TensorType::Q5_0, TensorType::F32}, {160, 75, 37}},
    {"Q4_1, Q5_K, IQ4_NL (not interleaved)", 256, {TensorType::Q4_1, TensorType::Q5_K, TensorType::IQ4_NL}, {75, 37, 160}},
    {"Q4_0 and Q6_K (both activation forms)", 256, {TensorType::Q4_0, TensorType::Q6_K}, {160, 16}},
    {"F16, BF16", 37, {TensorType::F16, TensorType::BF16}, {75, 16}},
};

} // namespace

class CpuOneInputProductsTest : public QObject {
    Q_OBJECT

private slots:
    void matmulsAreMatmulAfterMatmul_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("tokens");
        for (int s = 0; s < int(std::size(kShapes)); ++s)
            for (int tokens : {1, 3, 8, 9, 40})
                QTest::addRow("%s, %d tokens", kShapes[s].name, tokens) << s << tokens;
    }

    void matmulsAreMatmulAfterMatmul()
    {
        QFETCH(int, shape);
        QFETCH(int, tokens);
        const Shape& s = kShapes[shape];
        const MatrixFile file(s.cols, s.types, s.rows);
        const std::vector<float> x = test::randomFloats(size_t(s.cols * tokens), 4);
        for (const cpu::DotKernels* table : cpu::supportedKernels()) {
            cpu::CpuBackend backend(3, *table);
            const std::vector<Tensor> weights = file.on(backend);
            Tensor input = backend.allocate(TensorType::F32, s.cols, tokens);
            backend.upload(input, x);
            std::vector<Tensor> together, apart;
            std::vector<Product> products, oneByOne;
            for (const Tensor& weight : weights) {
                together.push_back(backend.allocate(TensorType::F32, weight.rows, tokens));
                apart.push_back(backend.allocate(TensorType::F32, weight.rows, tokens));
            }
            for (size_t i = 0; i < weights.size(); ++i) {
                products.push_back({&together[i], &weights[i]});
                oneByOne.push_back({&apart[i], &weights[i]});
            }
            backend.matmuls(products, input);
            backend.Backend::matmuls(oneByOne, input);
            for (size_t i = 0; i < weights.size(); ++i)
                compareBits(valuesOf(backend, together[i]), valuesOf(backend, apart[i]), *table,
                            QStringLiteral("product %1").arg(i));
        }
    }

    // Products whose shapes do not fit their input are refused, naming the operation.
    void refusesAProductOfAnotherWidth()
    {
        const MatrixFile file(64, {TensorType::Q8_0, TensorType::Q8_0}, {32, 32});
        const MatrixFile other(96, {TensorType::Q8_0}, {32});
        cpu::CpuBackend backend(2);
        const std::vector<Tensor> weights = file.on(backend), wider = other.on(backend);
        Tensor input = backend.allocate(TensorType::F32, 64, 1);
        Tensor a = backend.allocate(TensorType::F32, 32, 1), b = backend.allocate(TensorType::F32, 32, 1);
        const Product products[] = {{&a, &weights[0]}, {&b, &wider[0]}};
        try {
            backend.matmuls(products, input);
            QFAIL("a product of another width was accepted");
        } catch (const std::exception& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("matmuls"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(CpuOneInputProductsTest)
#include "test_cpu_one_input_products.moc"
