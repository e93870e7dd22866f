#include "metamorphic.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "routecheck/result_json.h"
#include "trace_view.h"
#include "transforms.h"

namespace routecheck::properties {

using nlohmann::json;

namespace {

// Runs the oracle on a transformed document; nullopt when the twin's enumeration was truncated.
std::optional<RouteResult> run_twin(const json& doc, const Scenario& like, const Oracle& oracle) {
  RouteResult r = oracle(reparse(doc, like));
  if (r.truncated) return std::nullopt;
  return r;
}

PropertyResult same_observables(const char* what, const RouteResult& before, const RouteResult& after, bool keys) {
  std::set<std::string> a = observables(before, keys), b = observables(after, keys);
  if (a == b) return PropertyResult::holds();
  return PropertyResult::violated(std::string(what) + " changed the observable outcomes:" + describe_difference(a, b));
}

std::string show_set(const std::optional<std::vector<std::string>>& v) {
  return v ? json(*v).dump() : std::string("TAG_DENIED");
}

}  // namespace

PropertyResult check_hop_independence(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  const Config& c = s.config;
  json doc = scenario_to_json(s);
  std::map<std::string, std::optional<AttemptRecord>> direct;  // group -> first record of a direct request
  bool any = false;
  for (const Outcome& o : r.outcomes) {
    for (const AttemptRecord& rec : o.trace) {
      if (!rec.tag_decision || rec.specific_deployment) continue;
      if (s.profile == Profile::LitellmLatest && rec.attempt > 0) continue;  // latest may skip refusers (§6.2)
      const ModelGroup* g = c.find_group(rec.group);
      if (!g || c.find_deployment(rec.group) >= 0) continue;
      if (rec.after_cooldown.size() != g->members.size()) continue;  // compare only with a fresh cooldown state
      // latest §7.8: an order-tier hop sees one tier of the group, not what a direct request sees.
      if (s.profile == Profile::LitellmLatest &&
          std::any_of(g->members.begin(), g->members.end(), [&](int i) { return c.deployments[i].order.has_value(); }))
        continue;
      if (rec.hop == 0 && rec.attempt == 0) {
        direct.emplace(rec.group, rec);
        continue;
      }
      auto it = direct.find(rec.group);
      if (it == direct.end()) {
        std::optional<RouteResult> d = run_twin(*direct_request(doc, rec.group), s, oracle);
        std::optional<AttemptRecord> first;
        if (d && !d->outcomes.empty() && !d->outcomes.front().trace.empty()) first = d->outcomes.front().trace.front();
        it = direct.emplace(rec.group, first).first;
      }
      if (!it->second) continue;
      const AttemptRecord& ref = *it->second;
      any = true;
      if (rec.tag_result != ref.tag_result || rec.eligible != ref.eligible)
        return PropertyResult::violated(where(rec) + ": tag result " + show_set(rec.tag_result) + ", eligible " +
                                        show_set(rec.eligible) + "; a direct request to " + rec.group +
                                        " with the same tags gets " + show_set(ref.tag_result) + ", eligible " +
                                        show_set(ref.eligible) + " (tags used " + json(rec.tags_used).dump() + " vs " +
                                        json(ref.tags_used).dump() + ")");
    }
  }
  return any ? PropertyResult::holds() : PropertyResult::not_applicable("no later tag decision with a fresh cooldown state");
}

PropertyResult check_credential_naming(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  std::optional<json> twin = credential_naming(scenario_to_json(s));
  if (!twin) return PropertyResult::not_applicable("no api_key or credential to move");
  std::optional<RouteResult> t = run_twin(*twin, s, oracle);
  if (!t) return PropertyResult::not_applicable("twin truncated");
  return same_observables("moving keys between api_key and credential_list", r, *t, false);
}

PropertyResult check_foreign_tags(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  std::optional<json> twin = foreign_tags(scenario_to_json(s));
  if (!twin) return PropertyResult::not_applicable("tag_regex present or the request mentions the tag");
  std::optional<RouteResult> t = run_twin(*twin, s, oracle);
  if (!t) return PropertyResult::not_applicable("twin truncated");
  return same_observables("adding the tag 'mp2-foreign' to every deployment", r, *t, true);
}

PropertyResult check_retry_transparency(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  auto header = [](const Outcome& o, const std::string& name) -> std::string {
    for (const auto& [n, v] : o.headers)
      if (n == name) return v;
    return "";
  };
  // MP-3 is stated for the deterministic settings of §10.2: with cooldowns a failure may cool the matching
  // deployments, and the retry then rightly spills over to the group's defaults (§4.2.2 item 5).
  if (!s.config.router.disable_cooldowns) return PropertyResult::not_applicable("cooldowns are on");
  std::vector<const Outcome*> retried;
  for (const Outcome& o : r.outcomes)
    if (o.status == 200 && header(o, "x-litellm-attempted-fallbacks") == "0" &&
        !header(o, "x-litellm-attempted-retries").empty() && header(o, "x-litellm-attempted-retries") != "0")
      retried.push_back(&o);
  if (retried.empty()) return PropertyResult::not_applicable("no hop-0 success after retries");
  std::optional<json> twin = fault_free(scenario_to_json(s));
  if (!twin) return PropertyResult::not_applicable("no faults");
  std::optional<RouteResult> t = run_twin(*twin, s, oracle);
  if (!t) return PropertyResult::not_applicable("twin truncated");
  std::set<std::string> eligible;
  for (const Outcome& f : t->outcomes) {
    if (f.status != 200) return PropertyResult::violated("the fault-free run fails with " + std::to_string(f.status));
    if (f.trace.empty()) continue;
    const AttemptRecord& first = f.trace.front();
    if (first.specific_deployment) eligible.insert(first.group);  // §5.2: the named deployment, no filter
    else if (first.eligible) eligible.insert(first.eligible->begin(), first.eligible->end());
  }
  for (const Outcome* o : retried) {
    for (const Outcome& f : t->outcomes)
      if (header(f, "x-litellm-model-group") != header(*o, "x-litellm-model-group"))
        return PropertyResult::violated("after retries the group is " + header(*o, "x-litellm-model-group") +
                                        "; fault-free it is " + header(f, "x-litellm-model-group"));
    if (!eligible.count(*o->served_by))
      return PropertyResult::violated("served by " + *o->served_by + " after retries, outside the fault-free eligible set " +
                                      json(eligible).dump());
  }
  return PropertyResult::holds();
}

PropertyResult check_no_spurious_denial(const Scenario& s, const RouteResult& r, const Oracle&) {
  for (const Deployment& d : s.config.deployments)
    if (!d.tag_regex.empty()) return PropertyResult::not_applicable("tag_regex present");
  bool any = false;
  for (const Outcome& o : r.outcomes) {
    // RT(R) is what hop 0's first decision used (no pick has happened before it), or empty if the caller
    // sent no tag at all.
    bool empty_rt = caller_tag_strings(s).empty() ||
                    (!o.trace.empty() && o.trace.front().tag_decision && o.trace.front().hop == 0 &&
                     o.trace.front().attempt == 0 && o.trace.front().tags_used.empty());
    if (!empty_rt) continue;
    any = true;
    if (o.error_class == "tag_denied")
      return PropertyResult::violated("RT(R) is empty, yet the request ends in a tag denial (group " +
                                      (o.denial ? o.denial->group + ", tags " + json(o.denial->tags).dump() : std::string("?")) + ")");
    for (const AttemptRecord& rec : o.trace)
      if (rec.outcome == "TAG_DENIED")
        return PropertyResult::violated(where(rec) + ": RT(R) is empty, yet this decision denied tags " +
                                        json(rec.tags_used).dump());
  }
  return any ? PropertyResult::holds() : PropertyResult::not_applicable("RT(R) is not empty");
}

PropertyResult check_shadowed_tag_sources(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  std::optional<json> twin = without_shadowed_tag_sources(scenario_to_json(s));
  if (!twin) return PropertyResult::not_applicable("no shadowed tag source");
  std::optional<RouteResult> t = run_twin(*twin, s, oracle);
  if (!t) return PropertyResult::not_applicable("twin truncated");
  return same_observables("removing tag sources that §3.3 says are replaced", r, *t, true);
}

PropertyResult check_determinism(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  RouteResult again = oracle(s);
  json a = result_to_json(r, s.id, s.profile, nullptr), b = result_to_json(again, s.id, s.profile, nullptr);
  if (a == b) return PropertyResult::holds();
  return PropertyResult::violated("two runs of the same scenario differ:\n    " + a.dump() + "\n    " + b.dump());
}

PropertyResult check_round_trip(const Scenario& s, const RouteResult& r, const Oracle& oracle) {
  json doc = scenario_to_json(s);
  Scenario back = reparse(doc, s);
  json again = scenario_to_json(back);
  if (again != doc)
    return PropertyResult::violated("scenario_to_json(parse_scenario(doc)) differs from doc:\n    " + doc.dump() + "\n    " +
                                    again.dump());
  RouteResult t = oracle(back);
  json a = result_to_json(r, s.id, s.profile, nullptr), b = result_to_json(t, s.id, s.profile, nullptr);
  if (a != b) return PropertyResult::violated("the re-parsed scenario routes differently");
  return PropertyResult::holds();
}

}  // namespace routecheck::properties
