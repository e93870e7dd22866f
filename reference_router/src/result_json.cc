#include "routecheck/result_json.h"

#include <algorithm>
#include <charconv>

namespace routecheck {

using nlohmann::json;

// The result is written straight into a string, as nlohmann's compact dump would write the same
// object: keys in byte order (its objects are std::map), no spaces, strings escaped as it escapes
// them (invalid UTF-8 replaced). The tree form (result_to_json) is this text parsed back, so there
// is one description of the result format.
namespace {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }
  void key(std::string_view k) {  // fixed keys: plain ASCII, nothing to escape
    out_ += '"';
    out_.append(k);
    out_.append("\":");
  }
  void string(const std::string& s) {
    for (unsigned char c : s)
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        out_.append(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
        return;
      }
    out_ += '"';
    out_.append(s);
    out_ += '"';
  }
  void integer(long v) {
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out_.append(buf, end);
  }
  void number(double v) { out_.append(json(v).dump()); }
  void boolean(bool v) { out_.append(v ? "true" : "false"); }
  void null() { out_.append("null"); }
  void strings(const std::vector<std::string>& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i) out_ += ',';
      string(list[i]);
    }
    out_ += ']';
  }
  void comma() { out_ += ','; }

 private:
  std::string& out_;
};

void write_record(Writer& w, const AttemptRecord& r) {
  w.raw("{");
  w.key("after_cooldown"), w.strings(r.after_cooldown), w.comma();
  w.key("attempt"), w.integer(r.attempt), w.comma();
  w.key("depth"), w.integer(r.depth), w.comma();
  w.key("eligible");
  if (!r.tag_decision) w.null();
  else if (r.eligible) w.strings(*r.eligible);
  else w.raw(r.outcome == "TAG_DENIED" ? "\"TAG_DENIED\"" : "\"NO_DEPLOYMENTS\"");
  w.comma();
  w.key("fallback");
  if (r.fallback) {
    w.raw("{");
    w.key("chain"), w.string(r.fallback->chain), w.comma();
    w.key("next"), w.string(r.fallback->next);
    if (!r.fallback->reason.empty()) w.comma(), w.key("reason"), w.string(r.fallback->reason);
    w.raw("}");
  } else {
    w.null();
  }
  w.comma();
  w.key("group"), w.string(r.group), w.comma();
  w.key("hop"), w.integer(r.hop), w.comma();
  w.key("outcome"), w.string(r.outcome), w.comma();
  w.key("picked");
  if (r.picked.empty()) w.null();
  else w.string(r.picked);
  w.comma();
  w.key("retry");
  if (r.retry) {
    w.raw("{");
    w.key("decision"), w.string(r.retry->decision), w.comma();
    w.key("rule"), w.string(r.retry->rule), w.comma();
    w.key("sleep"), w.string(r.retry->sleep);
    w.raw("}");
  } else {
    w.null();
  }
  w.comma();
  if (r.specific_deployment) w.key("specific_deployment"), w.boolean(true), w.comma();
  w.key("tag_decision"), w.boolean(r.tag_decision), w.comma();
  w.key("tag_result");
  if (!r.tag_decision) w.null();
  else if (r.tag_result) w.strings(*r.tag_result);
  else w.raw("\"TAG_DENIED\"");
  w.comma();
  w.key("tag_sources"), w.raw("{");
  bool first = true;
  for (const auto& [tag, source] : r.tag_sources) {  // a std::map: in byte order, each tag once
    if (!first) w.comma();
    first = false;
    w.string(tag), w.raw(":"), w.string(source);
  }
  w.raw("}"), w.comma();
  w.key("tags_used"), w.strings(r.tags_used);
  w.raw("}");
}

void write_outcome(Writer& w, const Outcome& o) {
  w.raw("{");
  w.key("denial");
  if (o.denial) {
    w.raw("{");
    w.key("group"), w.string(o.denial->group), w.comma();
    w.key("tags"), w.strings(o.denial->tags);
    w.raw("}");
  } else {
    w.null();
  }
  w.comma();
  w.key("error_class"), w.string(o.error_class), w.comma();
  w.key("headers"), w.raw("{");
  // Names in byte order; a repeated name: the last value wins (as a JSON object keeps one).
  std::vector<const std::pair<std::string, std::string>*> headers;
  headers.reserve(o.headers.size());
  for (const auto& h : o.headers) headers.push_back(&h);
  std::stable_sort(headers.begin(), headers.end(), [](auto* a, auto* b) { return a->first < b->first; });
  bool first = true;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (i + 1 < headers.size() && headers[i + 1]->first == headers[i]->first) continue;
    if (!first) w.comma();
    first = false;
    w.string(headers[i]->first), w.raw(":"), w.string(headers[i]->second);
  }
  w.raw("}"), w.comma();
  w.key("max_duration_s"), w.number(o.max_duration_s), w.comma();
  w.key("observability_tags"), w.strings(o.observability_tags), w.comma();
  w.key("served_by");
  if (o.served_by) w.string(*o.served_by);
  else w.null();
  w.comma();
  w.key("status"), w.integer(o.status), w.comma();
  w.key("trace"), w.raw("[");
  for (std::size_t i = 0; i < o.trace.size(); ++i) {
    if (i) w.comma();
    write_record(w, o.trace[i]);
  }
  w.raw("]"), w.comma();
  w.key("upstream_calls"), w.raw("[");
  for (std::size_t i = 0; i < o.upstream_calls.size(); ++i) {
    if (i) w.comma();
    w.raw("{");
    w.key("deployment"), w.string(o.upstream_calls[i].deployment), w.comma();
    w.key("key"), w.string(o.upstream_calls[i].key);
    w.raw("}");
  }
  w.raw("]");
  w.raw("}");
}

void write_outcomes(Writer& w, const std::vector<Outcome>& outcomes) {
  w.raw("[");
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (i) w.comma();
    write_outcome(w, outcomes[i]);
  }
  w.raw("]");
}

}  // namespace

void write_result_json(std::string& out, const RouteResult& r, const std::string& id, Profile profile,
                       const Mutant* mutant, std::optional<bool> expectation_met) {
  Writer w(out);
  w.raw("{");
  w.key("alternatives"), w.raw("[");
  for (std::size_t i = 0; i < r.alternatives.size(); ++i) {
    if (i) w.comma();
    w.raw("{");
    w.key("outcomes"), write_outcomes(w, r.alternatives[i].outcomes), w.comma();
    w.key("rule"), w.string(r.alternatives[i].rule);
    w.raw("}");
  }
  w.raw("]"), w.comma();
  if (expectation_met) w.key("expectation_met"), w.boolean(*expectation_met), w.comma();
  w.key("id"), w.string(id), w.comma();
  w.key("ignored_config_keys"), w.strings(r.ignored_config_keys), w.comma();
  // A label names a released bug: it applies only to the profile modelling those releases.
  if (mutant && !mutant->label.empty() && profile == Profile::Litellm182)
    w.key("label"), w.string(mutant->label), w.comma();
  w.key("mutant");
  if (mutant) w.string(mutant->id);
  else w.null();
  w.comma();
  w.key("outcomes"), write_outcomes(w, r.outcomes), w.comma();
  w.key("profile"), w.string(to_string(profile)), w.comma();
  w.key("served_by"), w.strings(r.served_by()), w.comma();
  w.key("statuses"), w.raw("[");
  std::vector<int> statuses = r.statuses();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (i) w.comma();
    w.integer(statuses[i]);
  }
  w.raw("]"), w.comma();
  w.key("truncated"), w.boolean(r.truncated), w.comma();
  w.key("unverified"), w.strings(r.unverified);
  w.raw("}");
}

json outcome_to_json(const Outcome& o) {
  std::string text;
  Writer w(text);
  write_outcome(w, o);
  return json::parse(text);
}

json result_to_json(const RouteResult& r, const std::string& id, Profile profile, const Mutant* mutant) {
  std::string text;
  write_result_json(text, r, id, profile, mutant);
  return json::parse(text);
}

std::string expectation_key(Profile profile, const Mutant* mutant) {
  return to_string(profile) + (mutant ? "+" + mutant->id : "");
}

std::optional<bool> meets_expectation(const Scenario& s, const RouteResult& r, Profile profile, const Mutant* mutant) {
  auto it = s.expected.find(expectation_key(profile, mutant));
  if (it == s.expected.end()) return std::nullopt;
  return it->second.statuses == r.statuses() && it->second.served_by == r.served_by();
}

}  // namespace routecheck
