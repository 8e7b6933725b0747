//! Integration tests of the harness, one module per area.

// Shared helpers: paths, running a corpus Action, snapshot settings.
mod util;
// The corpus: every `tests/fixtures/<action>.<case>.json` run against `tests/actions/<action>.js`.
mod corpus;
// Loader contract: CommonJS wrapper, lazy once-only top-level code, handler checks, sandbox.
mod loader;
// Several Actions: deny, throw, metadata, MFA pauses, cache, resume.
mod flow;
// Bad input and limits: unreadable files, malformed fixtures, sizes, time budget.
mod inputs;
// The WebAssembly global: values, memory bridge, imports, externref tables, errors, fuel.
mod wasm;
// Redirect round trip: encodeToken, sendUserTo, resume, validateToken.
mod redirect;
// The time budget against CPU-bound JS that makes no host calls.
mod budget;
// Section 10 behaviours of the surface reference without a corpus Action of their own.
mod surface;
// The memory limit, metered by the bounded allocator installed below.
mod memory;

// As in the `actionkit` binary: the harness's memory limit is enforced.
#[global_allocator]
static ALLOCATOR: harness::BoundedAllocator = harness::BoundedAllocator;
