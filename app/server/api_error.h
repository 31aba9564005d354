#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace latent::server {

// A request the server answers with an error, in OpenAI's shape:
// {"error": {"message", "type", "param", "code"}}, with the HTTP status that goes with it.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string type, const std::string& message, std::string param = {}, std::string code = {})
        : std::runtime_error(message), status(status), type(std::move(type)), param(std::move(param)),
          code(std::move(code))
    {
    }

    int status;
    std::string type;  // invalid_request_error, authentication_error, server_error, ...
    std::string param; // the request field at fault (empty: none)
    std::string code;  // a machine-readable reason, such as context_length_exceeded (empty: none)

    nlohmann::json body() const;
};

// 400: the request is wrong; the message names the field and says what is expected.
ApiError invalidRequest(const std::string& message, const std::string& param = {}, const std::string& code = {});

} // namespace latent::server
