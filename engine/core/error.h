#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace latent {

// What kind of failure an Error is, for a program that words it for its user itself (the app
// shows each kind in the UI's language). Unspecified: the message says it all.
enum class ErrorKind {
    Unspecified,
    FileUnreadable,          // the file cannot be opened, read or mapped
    NotGguf,                 // not a GGUF file, or its structure is damaged or cut short
    ModelDataInvalid,        // a tensor or metadata key the model needs is missing or malformed
    UnsupportedArchitecture, // subject: the architecture's name
    UnsupportedWeightType,   // subject: the tensor type's name
    OutOfMemory,
};

// Every failure a user can cause (a bad file, a wrong setting) is reported as an Error whose
// message names the file, field or setting and says what to do. The engine never aborts on input.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ErrorKind kind = ErrorKind::Unspecified, std::string subject = {})
        : std::runtime_error(message), kind_(kind), subject_(std::move(subject))
    {
    }

    ErrorKind kind() const { return kind_; }
    // The one value the kind's wording needs (see ErrorKind); empty for the others.
    const std::string& subject() const { return subject_; }

private:
    ErrorKind kind_;
    std::string subject_;
};

} // namespace latent
