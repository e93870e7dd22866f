#pragma once
/// The compact input of oracle_fuzz: a few dozen bytes that decode straight into a scenario document,
/// so the fuzzer mutates bytes (libFuzzer's own, cheap mutations) instead of parsing and re-printing
/// JSON on every step. Every byte string decodes to a scenario whose references resolve (faults name
/// deployments, fallbacks name groups, credentials are defined); sizes are bounded (at most 6
/// deployments over 4 groups, 3 entries per fallback list, 3 outcomes per fault queue). A missing byte
/// reads as 0, so the empty input is the smallest scenario: one deployment, one request for it.
///
/// Names come from a fixed vocabulary (groups, tags, credentials, outcomes, paths; scenario_codec.cc).
/// `encode_scenario` projects a scenario document onto it — the i-th distinct group becomes the i-th
/// group name, a tag outside the vocabulary takes a vocabulary slot by hash, deployment ids become
/// `<group>-<k>` — so a scenario file seeds the fuzzer, and `decode_scenario` turns any corpus input
/// back into a scenario file (scripts/fuzz export). decode(encode(d)) == d for documents that
/// decode_scenario wrote.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace routecheck::fuzz {

/// The scenario document (`routecheck-scenario/1`) of a compact input.
nlohmann::json decode_scenario(const uint8_t* data, std::size_t size);

/// The compact input closest to a scenario document (see above for what is projected).
/// The document must be a valid scenario (parse_scenario accepts it); fields it lacks encode as 0.
std::vector<uint8_t> encode_scenario(const nlohmann::json& doc);

/// An oracle input as a scenario document: scenario JSON when it starts with '{' (any scenario file;
/// InputError if it is not JSON), else the compact form.
nlohmann::json oracle_input_document(const uint8_t* data, std::size_t size);

}  // namespace routecheck::fuzz
