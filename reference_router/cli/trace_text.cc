#include "trace_text.h"

namespace routecheck {
namespace {

std::string list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + ("'" + v[i] + "'");
  return s + "]";
}

std::string ids(const std::vector<std::string>& v) {
  if (v.empty()) return "(none)";
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

void print_record(std::ostream& out, const AttemptRecord& r) {
  out << "    hop " << r.hop << " · depth " << r.depth << " · attempt " << r.attempt << " · group " << r.group << "\n";
  if (r.specific_deployment) {
    out << "      model names deployment " << r.picked << " directly: no cooldown or tag decision (5.2)\n";
  } else if (!r.tag_decision) {
    out << "      " << r.outcome << ": raised before any pick (7.2)\n";
  } else {
    out << "      tags used " << list(r.tags_used);
    bool leaked = false;
    for (const auto& [tag, source] : r.tag_sources) leaked = leaked || source.rfind("post-pick", 0) == 0;
    out << (leaked ? "  <- includes tags written after an earlier pick (I-1 violated)" : "") << "\n";
    out << "      after cooldown: " << ids(r.after_cooldown) << "\n";
    out << "      tag filter:     " << (r.tag_result ? ids(*r.tag_result) : r.outcome) << "\n";
    if (r.eligible) out << "      eligible:       " << ids(*r.eligible) << "\n";
  }
  if (!r.picked.empty()) out << "      picked " << r.picked << " -> " << r.outcome << "\n";
  else if (r.tag_decision) out << "      outcome " << r.outcome << " (silent attempt: no upstream call)\n";
  if (r.retry) out << "      retry: " << r.retry->decision << " (" << r.retry->rule << ")\n";
  if (r.fallback) {
    out << "      fallback: chain " << r.fallback->chain << ", next " << r.fallback->next;
    if (!r.fallback->reason.empty()) out << " (" << r.fallback->reason << ")";
    out << "\n";
  }
}

void print_outcome(std::ostream& out, const Outcome& o, std::size_t n) {
  out << "  Outcome " << n << ": " << o.status << " " << o.error_class;
  if (o.served_by) out << ", served by " << *o.served_by;
  out << "\n";
  if (o.denial) out << "    denial: group " << o.denial->group << ", tags " << list(o.denial->tags) << "\n";
  for (const auto& [name, value] : o.headers) out << "    " << name << ": " << value << "\n";
  out << "    upstream calls:";
  if (o.upstream_calls.empty()) out << " (none)";
  for (std::size_t i = 0; i < o.upstream_calls.size(); ++i)
    out << (i ? " ->" : "") << " " << o.upstream_calls[i].deployment << " (key " << o.upstream_calls[i].key << ")";
  out << "\n";
  if (!o.observability_tags.empty()) out << "    observability tags (inert): " << list(o.observability_tags) << "\n";
  if (o.max_duration_s > 0) out << "    at most " << o.max_duration_s << " s of sleeps and timeouts\n";
  if (!o.trace.empty()) out << "    trace:\n";
  for (const AttemptRecord& r : o.trace) print_record(out, r);
}

}  // namespace

void print_result_text(std::ostream& out, const RouteResult& result, const std::string& id, Profile profile,
                       const Mutant* mutant) {
  out << id << "  (profile " << to_string(profile);
  if (mutant) out << ", mutant " << mutant->id << (mutant->label.empty() ? "" : " — " + mutant->label);
  out << ")\n";
  std::string statuses, served = ids(result.served_by());
  for (int s : result.statuses()) statuses += (statuses.empty() ? "" : ", ") + std::to_string(s);
  out << "allowed outcomes: " << result.outcomes.size() << "   statuses [" << statuses << "]   served by " << served
      << (!result.truncated ? ""
          : result.outcomes.empty() ? "   (TRUNCATED: every branch exceeded the attempt budget; no outcome could be enumerated)"
                                    : "   (TRUNCATED: more outcomes exist than were enumerated)")
      << "\n";
  for (std::size_t i = 0; i < result.outcomes.size(); ++i) print_outcome(out, result.outcomes[i], i + 1);
  for (const Alternative& a : result.alternatives) {
    out << "  Also acceptable with a warning under rule " << a.rule << ":\n";
    for (std::size_t i = 0; i < a.outcomes.size(); ++i) print_outcome(out, a.outcomes[i], i + 1);
  }
  if (!result.ignored_config_keys.empty()) {
    out << "ignored config keys (this profile does not read them):";
    for (const std::string& k : result.ignored_config_keys) out << " " << k;
    out << "\n";
  }
  if (!result.unverified.empty()) {
    out << "depends on unverified points:";
    for (const std::string& k : result.unverified) out << " " << k;
    out << "\n";
  }
}

}  // namespace routecheck
