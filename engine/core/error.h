#pragma once

#include <stdexcept>
#include <string>

namespace latent {

// Every failure a user can cause (a bad file, a wrong setting) is reported as an Error whose
// message names the file, field or setting and says what to do. The engine never aborts on input.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace latent
