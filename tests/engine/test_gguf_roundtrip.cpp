// Writer -> reader round trips: every metadata value type, several tensor types and shapes,
// the alignment rules, typed metadata access, and the writer's own checks.

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"

#include <QTemporaryDir>
#include "tests/support/error_of.h"

#include <QTest>

#include <limits>
#include <random>
#include <sstream>

using namespace latent;
using latent::test::errorOf;
using namespace latent::gguf;

namespace {

std::string toBytes(const GgufWriter& writer)
{
    std::ostringstream out;
    writer.writeTo(out);
    return out.str();
}

GgufFile parseBytes(const std::string& bytes)
{
    return GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "roundtrip.gguf");
}

std::vector<uint8_t> randomBytes(size_t size, uint32_t seed)
{
    std::mt19937 random(seed);
    std::vector<uint8_t> bytes(size);
    for (uint8_t& byte : bytes)
        byte = static_cast<uint8_t>(random());
    return bytes;
}

} // namespace

class GgufRoundTripTest : public QObject {
    Q_OBJECT

private slots:
    void everyMetadataType()
    {
        GgufWriter writer;
        Metadata& meta = writer.metadata();
        meta.set("u8", uint8_t{255});
        meta.set("i8", int8_t{-128});
        meta.set("u16", uint16_t{65535});
        meta.set("i16", int16_t{-32768});
        meta.set("u32", uint32_t{4'000'000'000u});
        meta.set("i32", int32_t{-2'000'000'000});
        meta.set("f32", 3.25f);
        meta.set("bool.true", true);
        meta.set("bool.false", false);
        meta.set("string", std::string("DeepSeek 深度求索 <｜end▁of▁sentence｜>"));
        meta.set("string.empty", std::string());
        meta.set("u64", std::numeric_limits<uint64_t>::max());
        meta.set("i64", std::numeric_limits<int64_t>::min());
        meta.set("f64", -1.0e-300);
        meta.set("array.i32", Array{ValueType::Int32, {int32_t{1}, int32_t{-2}, int32_t{3}}});
        meta.set("array.string", Array{ValueType::String, {std::string("a"), std::string(""), std::string("Ġt")}});
        meta.set("array.empty", Array{ValueType::Float32, {}});
        meta.set("array.nested", Array{ValueType::Array, {Array{ValueType::UInt8, {uint8_t{7}}},
                                                          Array{ValueType::Bool, {true, false}}}});

        const std::string bytes = toBytes(writer);
        const GgufFile file = parseBytes(bytes);
        QCOMPARE(file.version(), 3u);
        QCOMPARE(file.metadata().size(), meta.size());
        for (size_t i = 0; i < meta.size(); ++i) {
            const auto& [key, value] = meta.entries()[i];
            QCOMPARE(file.metadata().entries()[i].first, key); // order kept
            QVERIFY2(file.metadata().entries()[i].second == value, key.c_str());
        }
        QCOMPARE(file.metadata().get<std::string>("string"), std::string("DeepSeek 深度求索 <｜end▁of▁sentence｜>"));
        QCOMPARE(file.metadata().getArrayOf<int32_t>("array.i32"), (std::vector<int32_t>{1, -2, 3}));
        QCOMPARE(file.metadata().get<Array>("array.empty").elementType, ValueType::Float32);
    }

    void tensorTypesAndShapes_data()
    {
        QTest::addColumn<uint32_t>("type");
        QTest::addColumn<QList<quint64>>("shape");
        QTest::newRow("F32 1-D") << uint32_t(TensorType::F32) << QList<quint64>{7};
        QTest::newRow("F16 2-D") << uint32_t(TensorType::F16) << QList<quint64>{33, 5};
        QTest::newRow("BF16 3-D") << uint32_t(TensorType::BF16) << QList<quint64>{8, 3, 2};
        QTest::newRow("Q4_0 2-D") << uint32_t(TensorType::Q4_0) << QList<quint64>{64, 3};
        QTest::newRow("Q8_0 4-D") << uint32_t(TensorType::Q8_0) << QList<quint64>{32, 2, 2, 2};
        QTest::newRow("Q4_K 2-D") << uint32_t(TensorType::Q4_K) << QList<quint64>{512, 3};
        QTest::newRow("Q6_K experts") << uint32_t(TensorType::Q6_K) << QList<quint64>{256, 2, 4};
        QTest::newRow("IQ4_XS 2-D") << uint32_t(TensorType::IQ4_XS) << QList<quint64>{256, 1};
        QTest::newRow("I32 1-D") << uint32_t(TensorType::I32) << QList<quint64>{5};
    }

    void tensorTypesAndShapes()
    {
        QFETCH(uint32_t, type);
        QFETCH(QList<quint64>, shape);
        const TensorTypeTraits traits = *tensorTypeTraits(type);
        std::vector<uint64_t> dims(shape.begin(), shape.end());
        uint64_t elements = 1;
        for (uint64_t d : dims)
            elements *= d;
        const std::vector<uint8_t> first = randomBytes(elements / traits.blockValues * traits.blockBytes, type);
        const std::vector<uint8_t> second = randomBytes(10 * 4, type + 100);

        GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("test"));
        writer.addTensor("first", traits.type, dims, first);
        writer.addTensor("second.weight", TensorType::F32, {10}, second);
        const std::string bytes = toBytes(writer);
        const GgufFile file = parseBytes(bytes);

        QCOMPARE(file.tensors().size(), size_t(2));
        const TensorInfo* tensor = file.findTensor("first");
        QVERIFY(tensor);
        QCOMPARE(tensor->type, traits.type);
        QCOMPARE(tensor->shape, dims);
        QCOMPARE(tensor->elementCount, elements);
        QCOMPARE(tensor->byteSize, uint64_t(first.size()));
        const auto data = file.tensorData(*tensor);
        QVERIFY(std::equal(data.begin(), data.end(), first.begin(), first.end()));
        const auto secondData = file.tensorData(*file.findTensor("second.weight"));
        QVERIFY(std::equal(secondData.begin(), secondData.end(), second.begin(), second.end()));
        QCOMPARE(file.dataOffset() % file.alignment(), uint64_t(0));
        QCOMPARE(file.parameterCount(), elements + 10);
        QCOMPARE(bytes.size() % 32, size_t(0)); // the data section ends padded, as llama.cpp writes it
    }

    void customAlignment()
    {
        GgufWriter writer;
        writer.metadata().set(kAlignmentKey, uint32_t{256});
        const std::vector<uint8_t> a = randomBytes(3 * 4, 1), b = randomBytes(5 * 4, 2);
        writer.addTensor("a", TensorType::F32, {3}, a);
        writer.addTensor("b", TensorType::F32, {5}, b);
        const std::string bytes = toBytes(writer);
        const GgufFile file = parseBytes(bytes);
        QCOMPARE(file.alignment(), 256u);
        QCOMPARE(file.dataOffset() % 256, uint64_t(0));
        QCOMPARE(file.findTensor("b")->offset, uint64_t(256));
    }

    void writeToDiskAndMap()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("model.gguf").toStdString();
        const std::vector<uint8_t> weights = randomBytes(64 / 32 * 34, 3);
        GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        writer.addTensor("w", TensorType::Q8_0, {64}, weights);
        writer.write(path);
        QVERIFY(!std::filesystem::exists(path.string() + ".partial"));

        const GgufFile file = GgufFile::open(path);
        QCOMPARE(file.architecture(), std::string("llama"));
        const auto data = file.tensorData(file.tensors().front());
        QVERIFY(std::equal(data.begin(), data.end(), weights.begin(), weights.end()));
    }

    void typedMetadataAccess()
    {
        Metadata meta("model.gguf");
        meta.set("llama.block_count", uint32_t{24});
        meta.set("llama.context_length", int32_t{16384});
        meta.set("negative", int32_t{-1});
        meta.set("eps", 1e-6f);
        meta.set("tokens", Array{ValueType::String, {std::string("a")}});

        QCOMPARE(meta.get<uint32_t>("llama.block_count"), 24u);
        QCOMPARE(meta.getInteger<uint64_t>("llama.context_length"), uint64_t(16384));
        QCOMPARE(meta.getFloat("eps"), double(1e-6f));
        QCOMPARE(meta.getOptional<uint32_t>("absent"), std::optional<uint32_t>());

        QCOMPARE(errorOf([&] { meta.get<uint32_t>("llama.embedding_length"); }),
                 QString("model.gguf: metadata key 'llama.embedding_length' is missing; the file may be "
                         "incomplete or made for another architecture"));
        QCOMPARE(errorOf([&] { meta.get<uint32_t>("llama.context_length"); }),
                 QString("model.gguf: metadata key 'llama.context_length' holds int32, expected uint32"));
        QCOMPARE(errorOf([&] { meta.getInteger<uint32_t>("negative"); }),
                 QString("model.gguf: metadata key 'negative' holds int32 -1, expected an integer in [0, 4294967295]"));
        QCOMPARE(errorOf([&] { meta.getArrayOf<int32_t>("tokens"); }),
                 QString("model.gguf: metadata key 'tokens' holds array of string, expected array of int32"));
        QCOMPARE(errorOf([&] { meta.getFloat("tokens"); }),
                 QString("model.gguf: metadata key 'tokens' holds array of string, expected float32 or float64"));
    }

    void metadataSetKeepsPosition()
    {
        Metadata meta;
        meta.set("a", uint8_t{1});
        meta.set("b", uint8_t{2});
        meta.set("a", std::string("x"));
        QCOMPARE(meta.entries()[0].first, std::string("a"));
        QCOMPARE(meta.get<std::string>("a"), std::string("x"));
        QVERIFY(meta.erase("a"));
        QCOMPARE(meta.get<uint8_t>("b"), uint8_t{2});
        QVERIFY(!meta.contains("a"));
    }

    void writerRejectsBadTensors()
    {
        GgufWriter writer;
        const std::vector<uint8_t> bytes(34);
        QVERIFY(errorOf([&] { writer.addTensor("w", TensorType::Q8_0, {48}, bytes); }).contains("not a multiple"));
        QVERIFY(errorOf([&] { writer.addTensor("w", TensorType::Q8_0, {64}, bytes); }).contains("needs 68 bytes"));
        QVERIFY(errorOf([&] { writer.addTensor(std::string(64, 'n'), TensorType::Q8_0, {32}, bytes); })
                    .contains("1 to 63 bytes"));
        QVERIFY(errorOf([&] { writer.addTensor("w", TensorType::Q8_0, {32, 1, 1, 1, 1}, bytes); })
                    .contains("5 dimensions"));
        writer.addTensor("w", TensorType::Q8_0, {32}, bytes);
        QVERIFY(errorOf([&] { writer.addTensor("w", TensorType::Q8_0, {32}, bytes); }).contains("added twice"));

        writer.metadata().set("mixed", Array{ValueType::UInt32, {uint32_t{1}, int32_t{2}}});
        std::ostringstream out;
        QVERIFY(errorOf([&] { writer.writeTo(out); }).contains("an array of uint32 holds a int32"));
    }

    void writerLeavesNoPartialFile()
    {
        QTemporaryDir dir;
        GgufWriter writer;
        writer.metadata().set(kAlignmentKey, uint32_t{3}); // invalid: fails while writing
        const std::filesystem::path path = dir.filePath("bad.gguf").toStdString();
        QVERIFY(errorOf([&] { writer.write(path); }).contains("power of two"));
        QVERIFY(!std::filesystem::exists(path));
        QVERIFY(!std::filesystem::exists(path.string() + ".partial"));
    }

    void tensorTypeTable()
    {
        QCOMPARE(tensorTypeTraits(TensorType::Q4_K).blockBytes, 144u);
        QCOMPARE(tensorTypeTraits(TensorType::Q4_K).blockValues, 256u);
        QCOMPARE(tensorTypeTraits(TensorType::Q8_0).blockBytes, 34u);
        QCOMPARE(tensorTypeTraits(TensorType::IQ2_XXS).blockBytes, 66u);
        QCOMPARE(tensorTypeTraits(TensorType::BF16).blockBytes, 2u);
        QCOMPARE(tensorTypeName(TensorType::Q5_K), std::string_view("Q5_K"));
        QCOMPARE(tensorTypeFromName("q6_k"), std::optional<TensorType>(TensorType::Q6_K));
        QVERIFY(!tensorTypeTraits(4).has_value());  // Q4_2, removed from the format
        QVERIFY(!tensorTypeTraits(31).has_value()); // Q4_0_4_4, removed
        QVERIFY(!tensorTypeTraits(9999).has_value());
        for (const TensorTypeTraits& traits : allTensorTypes()) {
            QVERIFY(traits.blockValues > 0 && traits.blockBytes > 0);
            QCOMPARE(tensorTypeTraits(static_cast<uint32_t>(traits.type))->name, traits.name);
            QCOMPARE(tensorTypeTraits(traits.type).name, traits.name); // the lookup by enumerator
        }
    }
};

QTEST_GUILESS_MAIN(GgufRoundTripTest)
#include "test_gguf_roundtrip.moc"
