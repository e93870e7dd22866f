#include "routecheck/lint.h"

#include <algorithm>

#include "lint/findings.h"

namespace routecheck {

std::string to_string(Finding::Severity s) {
  switch (s) {
    case Finding::Severity::Error: return "error";
    case Finding::Severity::Warning: return "warning";
    case Finding::Severity::Info: return "info";
  }
  return "info";
}

std::vector<Finding> lint_config(const Config& config, Profile profile) {
  std::vector<Finding> out;
  lint::known_bug_findings(config, profile, out);
  lint::fallback_denial_findings(config, profile, out);
  lint::fallback_graph_findings(config, profile, out);
  lint::tag_layout_findings(config, profile, out);
  lint::ignored_key_findings(config, profile, out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
  return out;
}

nlohmann::json finding_to_json(const Finding& f) {
  return {{"severity", to_string(f.severity)},
          {"rule", f.rule},
          {"path", f.path},
          {"message", f.message},
          {"witness", f.witness ? *f.witness : nlohmann::json(nullptr)},
          {"workaround", f.workaround.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.workaround)}};
}

}  // namespace routecheck
