// One test per validation rule of the GGUF reader, each on a file built to break it, checking
// that the error names the file, the byte offset and the problem.

#include "engine/gguf/gguf_encoder.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"

#include <QTest>

#include <sstream>

using namespace latent::gguf;

namespace {

// Builds GGUF bytes field by field, so a test can write exactly the mistake it checks.
class RawFile {
public:
    RawFile& header(uint64_t tensors, uint64_t keys, uint32_t version = 3)
    {
        encoder_.put<uint32_t>(kMagic);
        encoder_.put<uint32_t>(version);
        encoder_.put<uint64_t>(tensors);
        encoder_.put<uint64_t>(keys);
        return *this;
    }
    RawFile& u8(uint8_t v) { return put(v); }
    RawFile& u32(uint32_t v) { return put(v); }
    RawFile& u64(uint64_t v) { return put(v); }
    RawFile& str(std::string_view text)
    {
        encoder_.putString(text);
        return *this;
    }
    RawFile& keyValue(std::string_view key, const Value& value)
    {
        encoder_.putKeyValue(key, value);
        return *this;
    }
    RawFile& tensor(std::string_view name, std::vector<uint64_t> dims, TensorType type, uint64_t offset)
    {
        encoder_.putString(name);
        encoder_.put<uint32_t>(static_cast<uint32_t>(dims.size()));
        for (uint64_t d : dims)
            encoder_.put<uint64_t>(d);
        encoder_.put<uint32_t>(static_cast<uint32_t>(type));
        encoder_.put<uint64_t>(offset);
        return *this;
    }
    RawFile& padTo(uint64_t alignment)
    {
        encoder_.putPaddingTo(alignment);
        return *this;
    }
    RawFile& zeros(size_t count)
    {
        const std::string bytes(count, '\0');
        encoder_.putBytes(bytes.data(), bytes.size());
        return *this;
    }
    uint64_t position() const { return encoder_.position(); }
    std::string bytes() const { return out_.str(); }

private:
    template <typename T>
    RawFile& put(T value)
    {
        encoder_.put<T>(value);
        return *this;
    }

    std::ostringstream out_;
    GgufEncoder encoder_{out_};
};

// The reader's error for bytes, or "" when they parse.
QString parseError(const std::string& bytes)
{
    try {
        GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "broken.gguf");
    } catch (const GgufError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

#define EXPECT_ERROR(bytes, offset, fragment)                                                              \
    do {                                                                                                   \
        const QString message = parseError(bytes);                                                         \
        const QString where = QStringLiteral("broken.gguf: at byte %1: ").arg(offset);                    \
        QVERIFY2(message.startsWith(where), qPrintable("expected '" + where + "...', got: " + message));  \
        QVERIFY2(message.contains(QStringLiteral(fragment)), qPrintable("got: " + message));               \
    } while (false)

} // namespace

class GgufValidationTest : public QObject {
    Q_OBJECT

private slots:
    void validFileParses()
    {
        RawFile file;
        file.header(1, 1).keyValue("general.architecture", std::string("llama"));
        file.tensor("w", {4}, TensorType::F32, 0).padTo(32).zeros(16);
        QCOMPARE(parseError(file.bytes()), QString());
    }

    void badMagic()
    {
        EXPECT_ERROR(std::string("GGML\x03\0\0\0", 8), 0, "not a GGUF file");
        EXPECT_ERROR(std::string("GG"), 0, "not a GGUF file");
        EXPECT_ERROR(std::string(), 0, "not a GGUF file");
    }

    void unsupportedVersion()
    {
        EXPECT_ERROR(RawFile().header(0, 0, 1).bytes(), 4, "version 1 is obsolete");
        EXPECT_ERROR(RawFile().header(0, 0, 4).bytes(), 4, "version 4 is not supported");
        EXPECT_ERROR(RawFile().header(0, 0, 0x03000000).bytes(), 4, "big-endian");
    }

    void truncatedHeader()
    {
        const std::string whole = RawFile().header(0, 0).bytes();
        EXPECT_ERROR(whole.substr(0, 6), 4, "the version needs 4 bytes, but the file ends 2 bytes later");
        EXPECT_ERROR(whole.substr(0, 20), 16, "the metadata count needs 8 bytes");
    }

    void metadataCountPastEnd()
    {
        EXPECT_ERROR(RawFile().header(0, 1'000'000'000'000).bytes(), 16, "claims 1000000000000 metadata entries");
    }

    void stringPastEnd()
    {
        RawFile file;
        file.header(0, 1).u64(0xFFFF'FFFF'FFFF).u32(0).zeros(8);
        EXPECT_ERROR(file.bytes(), 32, "the key of metadata entry 0 needs 281474976710655 bytes");
        RawFile value;
        value.header(0, 1).str("general.name").u32(uint32_t(ValueType::String)).u64(1000).zeros(10);
        EXPECT_ERROR(value.bytes(), 56, "metadata key 'general.name' needs 1000 bytes");
    }

    void arrayCountPastEnd()
    {
        RawFile file;
        file.header(0, 1).str("tokenizer.ggml.tokens").u32(uint32_t(ValueType::Array));
        const uint64_t arrayAt = file.position();
        file.u32(uint32_t(ValueType::String)).u64(uint64_t(1) << 60).zeros(64);
        EXPECT_ERROR(file.bytes(), arrayAt, "claims 1152921504606846976 string elements");
    }

    void unknownValueType()
    {
        RawFile file;
        file.header(0, 1).str("key");
        const uint64_t typeAt = file.position();
        file.u32(13).u32(0);
        EXPECT_ERROR(file.bytes(), typeAt, "metadata key 'key' has value type 13, which GGUF does not define");
    }

    void duplicateKey()
    {
        RawFile file;
        file.header(0, 2).keyValue("general.name", std::string("a"));
        const uint64_t secondAt = file.position();
        file.keyValue("general.name", std::string("b"));
        EXPECT_ERROR(file.bytes(), secondAt, "metadata key 'general.name' appears twice");
    }

    void invalidBool()
    {
        RawFile file;
        file.header(0, 1).str("flag").u32(uint32_t(ValueType::Bool));
        const uint64_t valueAt = file.position();
        file.u8(2);
        EXPECT_ERROR(file.bytes(), valueAt, "a bool must be 0 or 1");
    }

    void arraysNestedTooDeep()
    {
        RawFile file;
        file.header(0, 1).str("deep").u32(uint32_t(ValueType::Array));
        std::vector<uint64_t> levels;
        for (int depth = 0; depth < 9; ++depth) {
            levels.push_back(file.position());
            file.u32(uint32_t(ValueType::Array)).u64(1);
        }
        file.zeros(64);
        EXPECT_ERROR(file.bytes(), levels[8], "nests arrays more than 8 deep");
    }

    void badAlignment()
    {
        EXPECT_ERROR(RawFile().header(0, 1).keyValue(kAlignmentKey, uint32_t{48}).bytes(), 0,
                     "'general.alignment' must be a uint32 power of two, but holds uint32 48");
        EXPECT_ERROR(RawFile().header(0, 1).keyValue(kAlignmentKey, uint32_t{0}).bytes(), 0, "power of two");
        EXPECT_ERROR(RawFile().header(0, 1).keyValue(kAlignmentKey, uint64_t{32}).bytes(), 0, "holds uint64 32");
    }

    void tensorCountPastEnd()
    {
        EXPECT_ERROR(RawFile().header(uint64_t(1) << 40, 0).zeros(100).bytes(), 8, "claims 1099511627776 tensors");
    }

    void duplicateTensorName()
    {
        RawFile file;
        file.header(2, 0).tensor("w", {8}, TensorType::F32, 0);
        const uint64_t secondAt = file.position();
        file.tensor("w", {8}, TensorType::F32, 32).padTo(32).zeros(64);
        EXPECT_ERROR(file.bytes(), secondAt, "tensor 'w' appears twice");
    }

    void tensorNameTooLong()
    {
        RawFile file;
        file.header(1, 0).tensor(std::string(64, 'x'), {8}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(file.bytes(), 24, "has a name longer than 63 bytes");
    }

    void badDimensionCount()
    {
        RawFile none;
        none.header(1, 0).tensor("w", {}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(none.bytes(), 24 + 9, "tensor 'w' has 0 dimensions");
        RawFile five;
        five.header(1, 0).tensor("w", {1, 1, 1, 1, 1}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(five.bytes(), 24 + 9, "tensor 'w' has 5 dimensions");
    }

    void dimensionsOverflow()
    {
        RawFile file;
        file.header(1, 0).tensor("w", {1u << 31, 1u << 31, 1u << 31}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(file.bytes(), 24 + 9 + 4 + 16, "its dimensions overflow");
        RawFile negative;
        negative.header(1, 0).tensor("w", {uint64_t(1) << 63}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(negative.bytes(), 24 + 9 + 4, "its dimensions overflow");
        RawFile bytes; // the element count fits, the byte count does not
        bytes.header(1, 0).tensor("w", {uint64_t(1) << 62}, TensorType::F32, 0).padTo(32).zeros(32);
        EXPECT_ERROR(bytes.bytes(), 24 + 9, "its size in bytes overflows");
    }

    void unknownTensorType()
    {
        RawFile file;
        file.header(1, 0).tensor("w", {32}, static_cast<TensorType>(4), 0).padTo(32).zeros(32);
        EXPECT_ERROR(file.bytes(), 24 + 9 + 4 + 8, "tensor 'w' has tensor type 4, which this build does not know");
        RawFile future;
        future.header(1, 0).tensor("w", {32}, static_cast<TensorType>(1000), 0).padTo(32).zeros(32);
        EXPECT_ERROR(future.bytes(), 24 + 9 + 4 + 8, "tensor type 1000");
    }

    void rowNotMultipleOfBlock()
    {
        RawFile file;
        file.header(1, 0).tensor("w", {100, 2}, TensorType::Q4_K, 0).padTo(32).zeros(512);
        EXPECT_ERROR(file.bytes(), 24 + 9, "rows of 100 values, not a multiple of Q4_K's block of 256");
    }

    void misalignedTensor()
    {
        RawFile file;
        file.header(1, 0).tensor("w", {4}, TensorType::F32, 16).padTo(32).zeros(64);
        EXPECT_ERROR(file.bytes(), 24 + 9 + 4 + 8 + 4, "data offset 16, which is not a multiple of the alignment 32");
    }

    void tensorPastEnd()
    {
        RawFile file;
        file.header(1, 0).tensor("blk.0.ffn_down.weight", {64, 64}, TensorType::F32, 0).padTo(32).zeros(1000);
        EXPECT_ERROR(file.bytes(), 24,
                     "tensor 'blk.0.ffn_down.weight' (16384 bytes at data offset 0) runs past the end of the file's "
                     "1000 bytes of tensor data");
    }

    void overlappingTensors()
    {
        RawFile file;
        file.header(2, 0).tensor("a", {16}, TensorType::F32, 0);
        const uint64_t secondAt = file.position();
        file.tensor("b", {16}, TensorType::F32, 32).padTo(32).zeros(128);
        EXPECT_ERROR(file.bytes(), secondAt, "tensor 'b' overlaps tensor 'a'");
    }

    // Cutting a valid file anywhere gives an error, never a crash or a read past the end.
    void everyTruncationIsAnError()
    {
        GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        writer.metadata().set("tokens", Array{ValueType::String, {std::string("a"), std::string("bc")}});
        writer.metadata().set("flag", true);
        const std::vector<uint8_t> weights(2 * 34, 1);
        writer.addTensor("w", TensorType::Q8_0, {64}, weights);
        std::ostringstream out;
        writer.writeTo(out);
        const std::string whole = out.str();
        const uint64_t lastTensorByte = whole.size() - 32 + 4; // 68 bytes of data, padded to 96
        QCOMPARE(parseError(whole), QString());
        for (size_t length = 0; length < lastTensorByte; ++length) {
            const QString message = parseError(whole.substr(0, length));
            QVERIFY2(message.startsWith("broken.gguf: at byte "), qPrintable(QString::number(length)));
        }
    }
};

QTEST_GUILESS_MAIN(GgufValidationTest)
#include "test_gguf_validation.moc"
