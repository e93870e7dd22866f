#include "oracle_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <memory>

#include "exit_codes.h"
#include "routecheck/document.h"
#include "routecheck/input_error.h"
#include "routecheck/result_json.h"
#include "routecheck/route.h"
#include "routecheck/route_into.h"
#include "routecheck/scenario.h"
#include "trace_text.h"

namespace routecheck {
namespace {

struct OracleArgs {
  std::string config, request, path = "/v1/chat/completions", scenario, profile, mutant;
  std::vector<std::string> headers, faults, profile_options;
  bool jsonl = false, json = false, no_alternatives = false;
};

// Parses the K=V flags. Their values are checked against the profile a run takes (validate_profile_options),
// which for a scenario or a JSONL line is its own unless --profile is given; options that no profile knows
// are refused here, naming `profile` (the flag's, else the default).
ProfileOptions parse_profile_options(const std::vector<std::string>& args, Profile profile) {
  ProfileOptions options;
  for (const std::string& a : args) {
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--profile-option", "", "expected K=V, got '" + a + "'");
    options.values[a.substr(0, eq)] = a.substr(eq + 1);
  }
  for (Profile p : {Profile::Litellm182, Profile::LitellmLatest}) {
    try {
      validate_profile_options(options, p, "--profile-option");
      return options;
    } catch (const InputError&) {
    }
  }
  validate_profile_options(options, profile, "--profile-option");  // throws, naming `profile`
  return options;
}

nlohmann::json error_json(const std::string& id, const InputError& e, const std::string& where) {
  return {{"id", id.empty() ? nlohmann::json(nullptr) : nlohmann::json(id)},
          {"error",
           {{"kind", e.kind() == InputError::Kind::Unsupported ? "unsupported" : "input"},
            {"where", where},
            {"field", e.pointer()},
            {"message", e.message()}}}};
}

// Prints one answer and returns the exit code it implies.
int answer(const Scenario& s, const RouteOptions& options, bool as_json) {
  RouteResult result = route(s, options);
  std::optional<bool> met = meets_expectation(s, result, options.profile, options.mutant);
  if (as_json) {
    nlohmann::json j = result_to_json(result, s.id, options.profile, options.mutant);
    if (met) j["expectation_met"] = *met;
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_result_text(std::cout, result, s.id, options.profile, options.mutant);
    if (met) {
      std::string key = expectation_key(options.profile, options.mutant);
      std::cout << "expectation " << key << ": " << (*met ? "met" : "NOT MET") << "\n";
      if (!*met) {
        const Expectation& e = s.expected.at(key);
        std::cout << "  expected statuses " << nlohmann::json(e.statuses).dump() << " served_by "
                  << nlohmann::json(e.served_by).dump() << "\n";
      }
    }
  }
  return met && !*met ? exit_code::kCheckFailed : exit_code::kOk;
}

// Writes the whole buffer to stdout (fd 1) and empties it; a closed or failing stdout drops the rest,
// as a failed std::cout would.
void write_out(std::string& out) {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::write(1, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.clear();
}

// Lines of stdin, read in blocks. Before it would wait for input, it writes out the answers so far:
// a client that sends one line and waits for its answer gets it (CONTRACT.md §4, flushed per line),
// and a batch piped in at once is answered in large writes.
class LineReader {
 public:
  explicit LineReader(std::string& out) : out_(out) {}

  bool next(std::string& line) {
    for (;;) {
      std::size_t nl = in_.find('\n', std::max(pos_, scanned_));
      if (nl != std::string::npos) {
        line.assign(in_, pos_, nl - pos_);
        pos_ = nl + 1;
        return true;
      }
      scanned_ = in_.size();  // a long line arriving block by block is scanned once
      if (eof_) {
        if (pos_ >= in_.size()) return false;
        line.assign(in_, pos_, std::string::npos);  // a last line without its newline
        pos_ = in_.size();
        return true;
      }
      write_out(out_);
      in_.erase(0, pos_);
      scanned_ -= pos_;
      pos_ = 0;
      char block[1 << 16];
      ssize_t n = ::read(0, block, sizeof block);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) eof_ = true;
      else in_.append(block, static_cast<std::size_t>(n));
    }
  }

 private:
  std::string& out_;
  std::string in_;
  std::size_t pos_ = 0, scanned_ = 0;  // next line starts at pos_; no newline in [pos_, scanned_)
  bool eof_ = false;
};

int run_jsonl(const OracleArgs& args, std::optional<Profile> profile_flag, const Mutant* mutant_flag,
              const ProfileOptions& options_flag) {
  std::string out, line;
  LineReader lines(out);
  std::size_t number = 0;
  bool any_error = false, any_unmet = false;
  Scenario s;  // one across lines: a line repeating the previous config keeps it (parse_scenario_into)
  RouteResult result;  // one across lines too: route_into reuses its strings and vectors
  RouteOptions options;
  options.alternatives = !args.no_alternatives;
  try {
    while (lines.next(line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::string where = "<stdin>:" + std::to_string(number);
      std::string id;
      try {
        nlohmann::json doc = parse_document(line, where, false);
        bool own_profile = false, own_options = false;
        if (doc.is_object()) {
          auto it = doc.find("id");
          if (it != doc.end() && it->is_string()) id = it->get<std::string>();
          // A line's own profile wins over the flag (CONTRACT.md §4).
          it = doc.find("profile");
          own_profile = it != doc.end() && !it->is_null();
          own_options = doc.contains("profile_options");
        }
        parse_scenario_into(s, std::move(doc), where, own_profile ? std::nullopt : profile_flag);
        // The flag's options hold for this line's profile, whichever it is.
        if (!own_options) {
          try {
            validate_profile_options(options_flag, s.profile, "--profile-option");
          } catch (const InputError& e) {
            throw InputError(where, e.pointer(), "--profile-option: " + e.message());
          }
        }
        check_request_against(s.config, s.request, where, "/request");
        check_deployment_keys(s.config, where, "/config");
        options.profile = s.profile;
        options.profile_options = own_options ? s.profile_options : options_flag;
        options.mutant = s.mutant ? &find_mutant(*s.mutant) : mutant_flag;
        route(s, options, result);
        std::optional<bool> met = meets_expectation(s, result, options.profile, options.mutant);
        any_unmet = any_unmet || (met && !*met);
        write_result_json(out, result, s.id, options.profile, options.mutant, met);
      } catch (const InputError& e) {
        any_error = true;
        // Replace, never throw on, bytes that are not UTF-8: a bad line must not stop the stream.
        out += error_json(id, e, where).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      out += '\n';
      if (out.size() >= (1u << 16)) write_out(out);
    }
  } catch (...) {
    write_out(out);  // the answers given so far still go out
    throw;
  }
  write_out(out);
  return any_error ? exit_code::kInputError : any_unmet ? exit_code::kCheckFailed : exit_code::kOk;
}

int run(const OracleArgs& args) {
  int forms = (!args.scenario.empty()) + args.jsonl + (!args.config.empty() || !args.request.empty());
  if (forms != 1)
    throw InputError("<args>", "", "give exactly one of --scenario FILE, --jsonl, or --config CONFIG --request BODY.json");
  std::optional<Profile> profile_flag;
  if (!args.profile.empty()) profile_flag = parse_profile(args.profile);
  const Mutant* mutant = args.mutant.empty() ? nullptr : &find_mutant(args.mutant);
  Profile profile = profile_flag.value_or(Profile::Litellm182);
  ProfileOptions options_flag = parse_profile_options(args.profile_options, profile);
  if (args.jsonl) return run_jsonl(args, profile_flag, mutant, options_flag);
  // The flag form runs `profile`, and so does a scenario under --profile: check the options up front.
  if (args.scenario.empty() || profile_flag) validate_profile_options(options_flag, profile, "--profile-option");

  Scenario s;
  if (!args.scenario.empty()) {
    s = load_scenario(args.scenario, profile_flag);
    if (!args.profile_options.empty()) {
      validate_profile_options(options_flag, s.profile, "--profile-option");  // the scenario's profile, or the flag's
      s.profile_options = options_flag;
    }
    if (!mutant && s.mutant) mutant = &find_mutant(*s.mutant);
  } else {
    if (args.config.empty() || args.request.empty())
      throw InputError("<args>", "", "the flag form needs both --config CONFIG and --request BODY.json");
    s.id = args.request;
    s.profile = profile;
    s.profile_options = options_flag;
    s.config = load_config(args.config, profile);
    std::vector<std::pair<std::string, std::string>> headers;
    for (const std::string& h : args.headers) {
      auto header = parse_header_arg(h, "--header");
      if (CLI::detail::to_lower(header.first) == "x-litellm-num-retries" &&
          (header.second.empty() || header.second.find_first_not_of("0123456789") != std::string::npos ||
           header.second.size() > 3 || std::stoi(header.second) > 100))
        throw InputError("--header", "", "x-litellm-num-retries: expected an integer from 0 to 100, got '" +
                                             header.second + "'");
      for (const auto& [name, value] : headers)
        if (CLI::detail::to_lower(name) == CLI::detail::to_lower(header.first))
          throw InputError("--header", "", "header '" + header.first + "' given twice; send it once");
      headers.push_back(std::move(header));
    }
    if (args.path.empty() || args.path[0] != '/')
      throw InputError("--path", "", "expected a path starting with '/', got '" + args.path + "'");
    s.request = make_request(args.path, headers, load_document(args.request), args.request);
    check_request_against(s.config, s.request, args.request);
    for (const std::string& f : args.faults) {
      std::string id = f.substr(0, f.find('='));
      if (s.faults.queues.count(id))
        throw InputError("--fault", "/" + id, "deployment '" + id + "' given twice; list its outcomes in one --fault");
      add_fault_arg(s.faults, f, "--fault");
    }
    for (const auto& [id, queue] : s.faults.queues) {
      if (s.config.find_deployment(id) < 0)
        throw InputError("--fault", "/" + id, "no deployment has model_info.id '" + id + "'");
      for (const UpstreamOutcome& o : queue)
        if (o.kind == UpstreamOutcome::Kind::StreamCut)
          throw InputError("--fault", "/" + id, "stream_cut is unsupported in v1", InputError::Kind::Unsupported);
    }
  }
  if (!args.scenario.empty()) {
    check_request_against(s.config, s.request, args.scenario, "/request");
    check_deployment_keys(s.config, args.scenario, "/config");
  } else {
    check_deployment_keys(s.config, args.config);
  }
  RouteOptions options;
  options.profile = s.profile;
  options.profile_options = s.profile_options;
  options.mutant = mutant;
  options.alternatives = !args.no_alternatives;
  return answer(s, options, args.json);
}

}  // namespace

std::function<int()> add_oracle_command(CLI::App& app) {
  auto args = std::make_shared<OracleArgs>();
  CLI::App* cmd = app.add_subcommand("oracle", "What a correct proxy must do with a request: allowed outcomes and a decision trace");
  cmd->add_option("--scenario", args->scenario, "A scenario file (routecheck-scenario/1, JSON)");
  cmd->add_flag("--jsonl", args->jsonl, "Read scenarios as JSON lines on stdin; write one result line each");
  cmd->add_option("--config", args->config, "A LiteLLM proxy config (YAML or JSON)");
  cmd->add_option("--request", args->request, "The request body a client would POST (JSON)");
  cmd->add_option("--path", args->path, "The request path")->capture_default_str();
  cmd->add_option("--header", args->headers, "A request header 'Name: value' (repeatable)");
  cmd->add_option("--fault", args->faults, "ID=OUTCOME[,OUTCOME...]: what deployment ID answers, call by call (repeatable)");
  cmd->add_option("--profile", args->profile, "litellm-1.82 (default) or litellm-latest");
  cmd->add_option("--profile-option", args->profile_options, "K=V: a choice the semantics leaves open (repeatable)");
  cmd->add_option("--mutant", args->mutant, "Switch on a planted routing bug, e.g. credential-tag-leak");
  cmd->add_flag("--json", args->json, "Print the result as JSON (CONTRACT.md §3)");
  cmd->add_flag("--no-alternatives", args->no_alternatives, "Skip the SHOULD/unverified alternatives");
  return [args] { return run(*args); };
}

}  // namespace routecheck
