#include "engine/vulkan/shader_bindings.h"

#include <map>
#include <set>
#include <vector>

namespace latent::vulkan {
namespace {

// SPIR-V opcodes and decorations this reads (the SPIR-V specification, section 3).
constexpr uint32_t kOpTypeStruct = 30, kOpTypePointer = 32, kOpVariable = 59, kOpDecorate = 71, kOpMemberDecorate = 72;
constexpr uint32_t kDecorationNonWritable = 24, kDecorationBinding = 33, kDecorationDescriptorSet = 34;
constexpr uint32_t kHeaderWords = 5;

} // namespace

uint32_t writtenBindings(std::span<const uint32_t> spirv)
{
    std::map<uint32_t, uint32_t> bindingOf, setOf, pointee, typeOfVariable;
    std::set<uint32_t> nonWritable;                     // variables so decorated
    std::map<uint32_t, std::set<uint32_t>> readonlyMembers; // struct -> its NonWritable members
    std::map<uint32_t, uint32_t> memberCount;           // struct -> members
    for (size_t at = kHeaderWords; at < spirv.size();) {
        const uint32_t words = spirv[at] >> 16, opcode = spirv[at] & 0xFFFF;
        if (words == 0 || at + words > spirv.size())
            break; // malformed: what was read so far stands (spirv-val checks every module in the tests)
        const uint32_t* operand = &spirv[at + 1];
        if (opcode == kOpDecorate && words >= 3) {
            if (operand[1] == kDecorationBinding && words >= 4)
                bindingOf[operand[0]] = operand[2];
            else if (operand[1] == kDecorationDescriptorSet && words >= 4)
                setOf[operand[0]] = operand[2];
            else if (operand[1] == kDecorationNonWritable)
                nonWritable.insert(operand[0]);
        } else if (opcode == kOpMemberDecorate && words >= 4 && operand[2] == kDecorationNonWritable) {
            readonlyMembers[operand[0]].insert(operand[1]);
        } else if (opcode == kOpTypeStruct) {
            memberCount[operand[0]] = words - 2;
        } else if (opcode == kOpTypePointer && words >= 4) {
            pointee[operand[0]] = operand[2];
        } else if (opcode == kOpVariable && words >= 4) {
            typeOfVariable[operand[1]] = operand[0];
        }
        at += words;
    }
    uint32_t written = 0;
    for (const auto& [variable, binding] : bindingOf) {
        const auto set = setOf.find(variable);
        if ((set != setOf.end() && set->second != 0) || binding >= 32 || nonWritable.count(variable))
            continue;
        const auto type = typeOfVariable.find(variable);
        const auto block = type != typeOfVariable.end() ? pointee.find(type->second) : pointee.end();
        if (block != pointee.end()) {
            const auto members = memberCount.find(block->second);
            const auto readonly = readonlyMembers.find(block->second);
            if (members != memberCount.end() && readonly != readonlyMembers.end() &&
                readonly->second.size() == members->second)
                continue;
        }
        written |= 1u << binding;
    }
    return written;
}

} // namespace latent::vulkan
