#pragma once
// Errors every core operation throws: a message a user understands, and whether the input was at fault.
#include <stdexcept>
#include <string>

namespace llmdrop {

class Error : public std::runtime_error {
 public:
  enum class Kind {
    BadInput,   // the user's files or arguments are wrong (CLI exit code 2)
    Runtime,    // the operation failed on valid input (out of memory, I/O error; exit code 1)
    Cancelled,  // the user cancelled a job
  };
  Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

[[noreturn]] inline void throw_bad_input(const std::string& message) {
  throw Error(Error::Kind::BadInput, message);
}
[[noreturn]] inline void throw_runtime(const std::string& message) {
  throw Error(Error::Kind::Runtime, message);
}

}  // namespace llmdrop
