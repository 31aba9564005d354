#include "engine/tokenizer/pre_tokenizer.h"

#include "engine/core/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <fmt/format.h>

#include <array>
#include <memory>
#include <utility>

namespace latent::tokenizer {
namespace {

struct NamedExpressions {
    std::string_view name;
    std::vector<std::string> expressions;
};

// The split expressions of DeepSeek's tokenizers, as their tokenizer.json files state them.
// deepseek-llm's letter class holds characters that Unicode normalization rewrites (U+212A
// KELVIN SIGN, U+2126 OHM SIGN, U+1FBE, range ends U+1F7D, U+1FD3, U+1FDB): an editor that
// normalizes this file breaks it, and test_tokenizer says so.
const std::array<NamedExpressions, 3>& namedExpressions()
{
    static const std::array<NamedExpressions, 3> kNamed = {
        NamedExpressions{
            "deepseek-llm",
            {
                "[\r\n]",
                "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
                "\\s?[!-/:-~！-／：-～‘-‟　-。]+",
                "\\s+$",
                "[一-龥ࠀ-一가-퟿]+",
                "\\p{N}+",
            },
        },
        NamedExpressions{
            "deepseek-coder",
            {
                "[\r\n]",
                "\\s?\\p{L}+",
                "\\s?\\p{P}+",
                "[一-龥ࠀ-一가-퟿]+",
                "\\p{N}",
            },
        },
        NamedExpressions{
            "deepseek-v3",
            {
                "\\p{N}{1,3}",
                "[一-龥぀-ゟ゠-ヿ]+",
                "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| "
                "?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
            },
        },
    };
    return kNamed;
}

} // namespace

struct PreTokenizer::Expression {
    pcre2_code* code = nullptr;

    explicit Expression(const std::string& pattern)
    {
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                             PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &errorCode, &errorOffset, nullptr);
        if (!code) {
            std::array<PCRE2_UCHAR, 256> message{};
            pcre2_get_error_message(errorCode, message.data(), message.size());
            throw Error(fmt::format("pre-tokenizer expression '{}' does not compile at offset {}: {}", pattern,
                                    errorOffset, reinterpret_cast<const char*>(message.data())));
        }
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // falls back to the interpreter where JIT is absent
    }
    ~Expression() { pcre2_code_free(code); }
    Expression(const Expression&) = delete;
    Expression& operator=(const Expression&) = delete;

    // Appends the matches of the expression in text, and the runs between them.
    void splitIsolated(std::string_view text, pcre2_match_data* matchData, std::vector<std::string_view>& out) const
    {
        const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
        size_t position = 0;
        size_t gapStart = 0;
        while (position < text.size()) {
            const int result = pcre2_match(code, subject, text.size(), position, 0, matchData, nullptr);
            if (result < 0)
                break; // no further match (or a matching error: the rest stays one piece)
            const PCRE2_SIZE* range = pcre2_get_ovector_pointer(matchData);
            const size_t begin = range[0];
            const size_t end = range[1];
            if (end == begin) { // an empty match splits nothing; step past one byte
                position = begin + 1;
                continue;
            }
            if (begin > gapStart)
                out.push_back(text.substr(gapStart, begin - gapStart));
            out.push_back(text.substr(begin, end - begin));
            position = gapStart = end;
        }
        if (gapStart < text.size())
            out.push_back(text.substr(gapStart));
    }
};

PreTokenizer PreTokenizer::forName(std::string_view name)
{
    for (const NamedExpressions& named : namedExpressions()) {
        if (named.name == name)
            return fromExpressions(named.expressions);
    }
    std::string known;
    for (std::string_view knownName : knownNames())
        known += (known.empty() ? "" : ", ") + std::string(knownName);
    throw Error(fmt::format("tokenizer.ggml.pre '{}' is not a DeepSeek pre-tokenizer this build knows ({})", name,
                            known));
}

PreTokenizer PreTokenizer::fromExpressions(const std::vector<std::string>& expressions)
{
    PreTokenizer pre;
    for (const std::string& pattern : expressions)
        pre.expressions_.push_back(std::make_unique<Expression>(pattern));
    return pre;
}

std::vector<std::string_view> PreTokenizer::knownNames()
{
    std::vector<std::string_view> names;
    for (const NamedExpressions& named : namedExpressions())
        names.push_back(named.name);
    return names;
}

std::string_view PreTokenizer::nameOf(const std::vector<std::string>& expressions)
{
    for (const NamedExpressions& named : namedExpressions()) {
        if (named.expressions == expressions)
            return named.name;
    }
    return {};
}

PreTokenizer::PreTokenizer() = default;
PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;
PreTokenizer::~PreTokenizer() = default;

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const
{
    // Match data is per call, so one PreTokenizer serves several threads at once.
    const std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> matchData(
        pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
    std::vector<std::string_view> current{text};
    std::vector<std::string_view> next;
    for (const auto& expression : expressions_) {
        next.clear();
        for (std::string_view piece : current)
            expression->splitIsolated(piece, matchData.get(), next);
        std::swap(current, next);
    }
    pieces.insert(pieces.end(), current.begin(), current.end());
}

} // namespace latent::tokenizer
