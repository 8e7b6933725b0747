//! npm packages an Action requires: where they are ([`Packages`]), Node's CommonJS resolution of
//! a `require` specifier to a file inside a `node_modules` directory, the files read once per
//! [`Packages`] (shared by every instance and thread of a suite), and the check that installed
//! versions are the declared ones ([`check_installed`]).
//!
//! Resolution follows Node's algorithm (`require.resolve` in the Node documentation, "All
//! together"): `node_modules` directories walked up from the requiring file, then the extra
//! directories (Node's `NODE_PATH`); package.json `exports` (strings, `"."`, subpaths, `*`
//! patterns, arrays, and the conditions `require`, `node`, `node-addons`, `default` in the
//! object's order), `main`, directory `index`, the extensions `.js`, `.json`, `.node`. Files are
//! only ever read inside a `node_modules` directory: the Action itself is one file in Auth0, so
//! its own relative requires find nothing, as they would there.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Conditions of `exports` matched for `require` (with `default`, always), as Node 22 before
/// 22.12 does. Later ones also match `module-sync`, whose target is an ES module they load with
/// `require`; packages publish it beside an equivalent CommonJS target, which the harness (CommonJS
/// only) takes instead.
const REQUIRE_CONDITIONS: &[&str] = &["require", "node", "node-addons"];

/// Where an Action's `require` finds npm packages, and which of them it may use.
///
/// Cheap to clone; clones share the files read so far, so a suite's fixtures read each file once.
#[derive(Debug, Clone, Default)]
pub struct Packages {
    /// The directory the Action's own requires start from: `node_modules` in it and each parent.
    base: Option<PathBuf>,
    /// More `node_modules` directories, searched after the walk (Node's `NODE_PATH`).
    extra: Vec<PathBuf>,
    /// The packages the Action declares, name → exact version; `None` allows any installed one
    /// (a file run as Node would).
    declared: Option<BTreeMap<String, String>>,
    files: Arc<Files>,
}

impl PartialEq for Packages {
    fn eq(&self, other: &Packages) -> bool {
        self.base == other.base && self.extra == other.extra && self.declared == other.declared
    }
}

impl Eq for Packages {}

impl Packages {
    /// No packages: every npm `require` fails with Node's `Cannot find module`.
    pub fn none() -> Packages {
        Packages::default()
    }

    /// Packages found as Node finds them from a file in `dir`: in `dir/node_modules`, then in
    /// `node_modules` of each parent directory.
    pub fn walking_up_from(dir: impl Into<PathBuf>) -> Packages {
        Packages { base: Some(dir.into()), ..Packages::default() }
    }

    /// Also searches the `node_modules` directory `dir` after the walk, like Node's `NODE_PATH`.
    #[must_use]
    pub fn with_node_modules(mut self, dir: impl Into<PathBuf>) -> Packages {
        self.extra.push(dir.into());
        self
    }

    /// Lets the Action's own code require only these packages (name → exact version), as Auth0
    /// installs only the declared dependencies; packages may still require what they depend on.
    /// A declared package must be installed with the declared version: requiring it otherwise
    /// fails with an error that says what to install.
    #[must_use]
    pub fn declared<I, N, V>(mut self, dependencies: I) -> Packages
    where
        I: IntoIterator<Item = (N, V)>,
        N: Into<String>,
        V: Into<String>,
    {
        self.declared = Some(dependencies.into_iter().map(|(n, v)| (n.into(), v.into())).collect());
        self
    }

    /// Resolves `specifier` required from the package file `parent`, or from the Action itself
    /// when `parent` is `None`. Built-in modules are the caller's business.
    pub(crate) fn resolve(&self, specifier: &str, parent: Option<&Path>) -> Result<Resolved, ResolveError> {
        let not_found = || ResolveError::NotFound { specifier: specifier.to_string(), detail: None };
        let relative = specifier.starts_with("./")
            || specifier.starts_with("../")
            || specifier == "."
            || specifier == ".."
            || specifier.starts_with('/');
        let Some(parent) = parent else {
            // The Action: one file in Auth0, so nothing beside it; bare names through node_modules.
            if relative || specifier.is_empty() {
                return Err(not_found());
            }
            let Some(start) = self.base.clone().or_else(|| self.extra.first().cloned()) else {
                return Err(not_found());
            };
            if let Some(declared) = &self.declared {
                let name = package_name(specifier);
                let Some(version) = declared.get(name) else { return Err(not_found()) };
                self.check_declared(name, version, &start)?;
            }
            return self.load_node_modules(specifier, &start)?.ok_or_else(not_found);
        };
        let dir = parent.parent().unwrap_or(Path::new("/"));
        let found = if relative {
            let target = normalize(&dir.join(specifier));
            match self.load_as_file(&target)? {
                Some(found) => Some(found),
                None => self.load_as_directory(&target)?,
            }
        } else if specifier.starts_with('#') {
            // Package `imports` are not emulated: fail closed rather than guess.
            return Err(ResolveError::Unsupported {
                specifier: specifier.to_string(),
                what: "package.json \"imports\" (`#` specifiers)",
            });
        } else {
            self.load_node_modules(specifier, dir)?
        };
        found.ok_or_else(not_found)
    }

    /// The declared package `name` is installed where the Action's requires find it, with the
    /// declared `version`.
    fn check_declared(&self, name: &str, version: &str, start: &Path) -> Result<(), ResolveError> {
        let found = self
            .node_modules_dirs(start)
            .into_iter()
            .map(|dir| dir.join(name).join("package.json"))
            .find(|manifest| self.files.kind(manifest) == Kind::File);
        let Some(manifest) = found else {
            return Err(ResolveError::Undeclared(DependencyError::Missing {
                name: name.to_string(),
                version: version.to_string(),
                node_modules: self.node_modules_dirs(start).swap_remove(0),
            }));
        };
        let installed = self.package_json(&manifest)?.and_then(|m| m.get("version")?.as_str().map(str::to_string));
        if installed.as_deref() != Some(version) {
            return Err(ResolveError::Undeclared(DependencyError::WrongVersion {
                name: name.to_string(),
                declared: version.to_string(),
                installed: installed.unwrap_or_default(),
                manifest,
            }));
        }
        Ok(())
    }

    /// Where a bare specifier is looked for from `start`, in order.
    fn node_modules_dirs(&self, start: &Path) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = start
            .ancestors()
            .filter(|dir| dir.file_name().is_none_or(|n| n != "node_modules"))
            .map(|dir| dir.join("node_modules"))
            .collect();
        dirs.extend(self.extra.iter().cloned());
        dirs
    }

    /// The text of a resolved file, read once.
    pub(crate) fn read(&self, path: &Path) -> Result<Arc<str>, ResolveError> {
        self.files.text(path)
    }

    fn load_node_modules(&self, specifier: &str, start: &Path) -> Result<Option<Resolved>, ResolveError> {
        for dir in self.node_modules_dirs(start) {
            if let Some(found) = self.load_package_exports(specifier, &dir)? {
                return Ok(Some(found));
            }
            let target = normalize(&dir.join(specifier));
            if let Some(found) = self.load_as_file(&target)? {
                return Ok(Some(found));
            }
            if let Some(found) = self.load_as_directory(&target)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// `exports` of the package `specifier` names in `dir`, when it has any.
    fn load_package_exports(&self, specifier: &str, dir: &Path) -> Result<Option<Resolved>, ResolveError> {
        let name = package_name(specifier);
        if name.is_empty() || name.starts_with('.') || name.contains('\\') || name.contains('%') {
            return Ok(None);
        }
        let package_dir = dir.join(name);
        let manifest_path = package_dir.join("package.json");
        let Some(manifest) = self.package_json(&manifest_path)? else { return Ok(None) };
        let Some(exports) = manifest.get("exports").filter(|e| !e.is_null()) else { return Ok(None) };
        let subpath = format!(".{}", &specifier[name.len()..]);
        let target = exports_resolve(&package_dir, &subpath, exports, &manifest_path)?;
        // A file the exports name is loaded as named: no extensions tried.
        match self.files.kind(&target) {
            Kind::File => Ok(Some(self.resolved(target)?)),
            _ => Err(ResolveError::NotFound { specifier: target.display().to_string(), detail: None }),
        }
    }

    fn load_as_file(&self, path: &Path) -> Result<Option<Resolved>, ResolveError> {
        if self.files.kind(path) == Kind::File {
            return Ok(Some(self.resolved(path.to_path_buf())?));
        }
        for extension in [".js", ".json", ".node"] {
            let mut with = path.as_os_str().to_owned();
            with.push(extension);
            let with = PathBuf::from(with);
            if self.files.kind(&with) == Kind::File {
                return Ok(Some(self.resolved(with)?));
            }
        }
        Ok(None)
    }

    fn load_index(&self, dir: &Path) -> Result<Option<Resolved>, ResolveError> {
        for index in ["index.js", "index.json", "index.node"] {
            let path = dir.join(index);
            if self.files.kind(&path) == Kind::File {
                return Ok(Some(self.resolved(path)?));
            }
        }
        Ok(None)
    }

    fn load_as_directory(&self, dir: &Path) -> Result<Option<Resolved>, ResolveError> {
        if self.files.kind(dir) != Kind::Dir {
            return Ok(None);
        }
        let manifest_path = dir.join("package.json");
        if let Some(manifest) = self.package_json(&manifest_path)? {
            if let Some(main) = manifest.get("main").and_then(Value::as_str).filter(|m| !m.is_empty()) {
                let target = normalize(&dir.join(main));
                if let Some(found) = self.load_as_file(&target)? {
                    return Ok(Some(found));
                }
                if let Some(found) = self.load_index(&target)? {
                    return Ok(Some(found));
                }
                if let Some(found) = self.load_index(dir)? {
                    return Ok(Some(found));
                }
                return Err(ResolveError::NotFound {
                    specifier: target.display().to_string(),
                    detail: Some(". Please verify that the package.json has a valid \"main\" entry".into()),
                });
            }
        }
        self.load_index(dir)
    }

    /// What the file at `path` is; only files inside a `node_modules` directory are used.
    fn resolved(&self, path: PathBuf) -> Result<Resolved, ResolveError> {
        if !path.components().any(|c| c.as_os_str() == "node_modules") {
            return Err(ResolveError::NotFound { specifier: path.display().to_string(), detail: None });
        }
        // Node identifies a module by its real path (symlinked packages load once).
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let format = match extension {
            "json" => Format::Json,
            "node" => return Err(ResolveError::Native { path }),
            "mjs" => return Err(ResolveError::Esm { path }),
            "cjs" => Format::CommonJs,
            "js" if self.package_type(&path)? == Some("module".into()) => return Err(ResolveError::Esm { path }),
            _ => Format::CommonJs,
        };
        Ok(Resolved { path, format })
    }

    /// The `type` of the package a `.js` file belongs to (its nearest package.json, not looking
    /// above the `node_modules` directory it is in).
    fn package_type(&self, file: &Path) -> Result<Option<String>, ResolveError> {
        for dir in file.ancestors().skip(1) {
            if dir.file_name().is_some_and(|n| n == "node_modules") {
                return Ok(None);
            }
            if let Some(manifest) = self.package_json(&dir.join("package.json"))? {
                return Ok(manifest.get("type").and_then(Value::as_str).map(str::to_string));
            }
        }
        Ok(None)
    }

    fn package_json(&self, path: &Path) -> Result<Option<Arc<Value>>, ResolveError> {
        self.files.package_json(path)
    }
}

/// The package a bare specifier names: `name` or `@scope/name`.
fn package_name(specifier: &str) -> &str {
    let mut slashes = specifier.match_indices('/');
    let end = if specifier.starts_with('@') { slashes.nth(1) } else { slashes.next() };
    end.map_or(specifier, |(i, _)| &specifier[..i])
}

/// `path` with `.` and `..` taken out, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Node's PACKAGE_EXPORTS_RESOLVE for `require`: the file `subpath` (`.` or `./x`) of the
/// package in `package_dir` resolves to.
fn exports_resolve(
    package_dir: &Path,
    subpath: &str,
    exports: &Value,
    manifest: &Path,
) -> Result<PathBuf, ResolveError> {
    let not_exported = || ResolveError::NotExported { subpath: subpath.to_string(), manifest: manifest.to_path_buf() };
    let dotted = match exports {
        Value::Object(map) => {
            let dots = map.keys().filter(|k| k.starts_with('.')).count();
            if dots != 0 && dots != map.len() {
                return Err(ResolveError::InvalidConfig {
                    manifest: manifest.to_path_buf(),
                    reason: "\"exports\" cannot contain some keys starting with '.' and some not".into(),
                });
            }
            dots != 0
        }
        _ => false,
    };
    if subpath == "." {
        let main = if dotted { exports.get(".") } else { Some(exports) };
        if let Some(main) = main {
            if let Some(found) = target_resolve(package_dir, main, None, manifest)? {
                return Ok(found);
            }
        }
        return Err(not_exported());
    }
    let Some(map) = exports.as_object().filter(|_| dotted) else { return Err(not_exported()) };
    if let Some(target) = map.get(subpath).filter(|_| !subpath.contains('*')) {
        return target_resolve(package_dir, target, None, manifest)?.ok_or_else(not_exported);
    }
    let mut patterns: Vec<&String> = map.keys().filter(|k| k.matches('*').count() == 1).collect();
    patterns.sort_by(|a, b| pattern_key_compare(a, b));
    for key in patterns {
        let (base, trailer) = key.split_once('*').unwrap_or((key, ""));
        if subpath.starts_with(base) && subpath != base {
            let fits = trailer.is_empty() || (subpath.ends_with(trailer) && subpath.len() >= key.len());
            if fits {
                let matched = &subpath[base.len()..subpath.len() - trailer.len()];
                return target_resolve(package_dir, &map[key.as_str()], Some(matched), manifest)?
                    .ok_or_else(not_exported);
            }
        }
    }
    Err(not_exported())
}

/// Node's PATTERN_KEY_COMPARE: longer bases first, then longer keys.
fn pattern_key_compare(a: &str, b: &str) -> std::cmp::Ordering {
    let base = |k: &str| k.find('*').map_or(k.len(), |i| i + 1);
    base(b).cmp(&base(a)).then(b.len().cmp(&a.len()))
}

/// Node's PACKAGE_TARGET_RESOLVE: `None` when no condition matched (the caller moves on).
fn target_resolve(
    package_dir: &Path,
    target: &Value,
    pattern: Option<&str>,
    manifest: &Path,
) -> Result<Option<PathBuf>, ResolveError> {
    let invalid = |target: &str| ResolveError::InvalidConfig {
        manifest: manifest.to_path_buf(),
        reason: format!("invalid \"exports\" target \"{target}\""),
    };
    match target {
        Value::String(text) => {
            let bad_segment = |s: &str| s.is_empty() || s == "." || s == ".." || s.eq_ignore_ascii_case("node_modules");
            let Some(rest) = text.strip_prefix("./") else { return Err(invalid(text)) };
            if rest.split(['/', '\\']).any(bad_segment) && !rest.is_empty() {
                return Err(invalid(text));
            }
            let resolved = match pattern {
                None => text.clone(),
                Some(matched) => {
                    if matched
                        .split(['/', '\\'])
                        .any(|s| s == "." || s == ".." || s.eq_ignore_ascii_case("node_modules"))
                    {
                        return Err(invalid(text));
                    }
                    text.replace('*', matched)
                }
            };
            Ok(Some(normalize(&package_dir.join(resolved))))
        }
        Value::Object(conditions) => {
            for (condition, value) in conditions {
                if condition == "default" || REQUIRE_CONDITIONS.contains(&condition.as_str()) {
                    if let Some(found) = target_resolve(package_dir, value, pattern, manifest)? {
                        return Ok(Some(found));
                    }
                }
            }
            Ok(None)
        }
        Value::Array(targets) => {
            let mut last = None;
            for target in targets {
                match target_resolve(package_dir, target, pattern, manifest) {
                    Ok(Some(found)) => return Ok(Some(found)),
                    Ok(None) => {}
                    Err(e @ ResolveError::InvalidConfig { .. }) => last = Some(e),
                    Err(e) => return Err(e),
                }
            }
            last.map_or(Ok(None), Err)
        }
        Value::Null => Ok(None),
        other => Err(invalid(&other.to_string())),
    }
}

/// A file `require` loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Its real path: the module's identity (`__filename`, the module cache key).
    pub(crate) path: PathBuf,
    pub(crate) format: Format,
}

/// How a resolved file is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A CommonJS module.
    CommonJs,
    /// `module.exports` is the parsed file.
    Json,
}

/// Why `require` found no file to load: each is the error Node throws, with its `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ResolveError {
    /// Nothing to load under that name.
    #[error("Cannot find module '{specifier}'{}", detail.as_deref().unwrap_or_default())]
    NotFound { specifier: String, detail: Option<String> },
    /// The package's `exports` do not export that subpath.
    #[error("{}", not_exported_message(subpath, manifest))]
    NotExported { subpath: String, manifest: PathBuf },
    /// The package's `exports` are malformed.
    #[error("Invalid package config {}: {reason}", manifest.display())]
    InvalidConfig { manifest: PathBuf, reason: String },
    /// An ES module: Node 22 before 22.12 refuses it, later ones load it; the harness refuses.
    #[error(
        "require() of ES Module {} not supported.\nThe harness runs CommonJS only: use a version of the package that ships CommonJS (a `main` or `require` export), or a dynamic import()",
        path.display()
    )]
    Esm { path: PathBuf },
    /// A native addon: Auth0 cannot build them.
    #[error("Cannot load native addon {}: Auth0 Actions cannot use native modules", path.display())]
    Native { path: PathBuf },
    /// Something Node has that the harness does not emulate.
    #[error("Cannot find module '{specifier}': the harness does not emulate {what}")]
    Unsupported { specifier: String, what: &'static str },
    /// A declared dependency is not installed as declared: a set-up problem, not Node's error.
    #[error(transparent)]
    Undeclared(DependencyError),
    /// A file the resolution found could not be read.
    #[error("Cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: String },
    /// A package.json that is not JSON.
    #[error("Invalid package config {}: {error}", path.display())]
    BadPackageJson { path: PathBuf, error: String },
}

fn not_exported_message(subpath: &str, manifest: &Path) -> String {
    if subpath == "." {
        format!("No \"exports\" main defined in {}", manifest.display())
    } else {
        format!("Package subpath '{subpath}' is not defined by \"exports\" in {}", manifest.display())
    }
}

impl ResolveError {
    /// Node's `error.code`.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            ResolveError::NotFound { .. } | ResolveError::Unsupported { .. } => "MODULE_NOT_FOUND",
            ResolveError::NotExported { .. } => "ERR_PACKAGE_PATH_NOT_EXPORTED",
            ResolveError::InvalidConfig { .. } | ResolveError::BadPackageJson { .. } => "ERR_INVALID_PACKAGE_CONFIG",
            ResolveError::Esm { .. } => "ERR_REQUIRE_ESM",
            ResolveError::Native { .. } => "ERR_DLOPEN_FAILED",
            ResolveError::Read { .. } => "EACCES",
            ResolveError::Undeclared(_) => "ERR_ACTIONKIT_DEPENDENCY",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Missing,
}

/// What was read from disk: kinds of paths, file texts and parsed package.json files.
#[derive(Debug, Default)]
struct Files {
    kinds: Mutex<HashMap<PathBuf, Kind>>,
    texts: Mutex<HashMap<PathBuf, Arc<str>>>,
    manifests: Mutex<HashMap<PathBuf, Option<Arc<Value>>>>,
}

impl Files {
    fn kind(&self, path: &Path) -> Kind {
        let mut kinds = self.kinds.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *kinds.entry(path.to_path_buf()).or_insert_with(|| match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Kind::File,
            Ok(m) if m.is_dir() => Kind::Dir,
            _ => Kind::Missing,
        })
    }

    fn text(&self, path: &Path) -> Result<Arc<str>, ResolveError> {
        if let Some(text) = self.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path) {
            return Ok(text.clone());
        }
        let bytes =
            std::fs::read(path).map_err(|e| ResolveError::Read { path: path.to_path_buf(), error: e.to_string() })?;
        // Node decodes module files as UTF-8, replacing what is not.
        let text: Arc<str> = String::from_utf8_lossy(&bytes).into();
        self.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_path_buf(), text.clone());
        Ok(text)
    }

    fn package_json(&self, path: &Path) -> Result<Option<Arc<Value>>, ResolveError> {
        if let Some(parsed) = self.manifests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path) {
            return Ok(parsed.clone());
        }
        let parsed = if self.kind(path) == Kind::File {
            let text = self.text(path)?;
            let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
                .map_err(|e| ResolveError::BadPackageJson { path: path.to_path_buf(), error: e.to_string() })?;
            Some(Arc::new(value))
        } else {
            None
        };
        self.manifests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_path_buf(), parsed.clone());
        Ok(parsed)
    }
}

/// Why the installed packages are not the declared ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DependencyError {
    /// A declared package is not installed.
    #[error(
        "dependency `{name}` = `{version}` is not installed in `{}`: run `npm install --save-exact {name}@{version}` in `{}`",
        node_modules.display(), node_modules.parent().unwrap_or(node_modules).display()
    )]
    Missing {
        /// The package.
        name: String,
        /// The declared version.
        version: String,
        /// Where it was looked for.
        node_modules: PathBuf,
    },
    /// An installed package has another version than the declared one.
    #[error(
        "dependency `{name}` is declared as `{declared}`, but `{}` says `{installed}`: install the declared version (`npm install --save-exact {name}@{declared}`) or change the declaration",
        manifest.display()
    )]
    WrongVersion {
        /// The package.
        name: String,
        /// The declared version.
        declared: String,
        /// The installed version.
        installed: String,
        /// The installed package's package.json.
        manifest: PathBuf,
    },
    /// An installed package's package.json cannot be read.
    #[error("cannot read the installed package `{name}` (`{}`): {error}", manifest.display())]
    Unreadable {
        /// The package.
        name: String,
        /// Its package.json.
        manifest: PathBuf,
        /// What went wrong.
        error: String,
    },
}

/// Checks that each declared dependency (name → exact version, as Auth0 installs it) is installed
/// in `node_modules` with that version. Fails on the first one that is not.
///
/// # Errors
/// [`DependencyError`] naming the package, what was found and what to do.
pub fn check_installed(node_modules: &Path, declared: &BTreeMap<String, String>) -> Result<(), DependencyError> {
    for (name, version) in declared {
        let manifest = node_modules.join(name).join("package.json");
        let text = match std::fs::read_to_string(&manifest) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DependencyError::Missing {
                    name: name.clone(),
                    version: version.clone(),
                    node_modules: node_modules.to_path_buf(),
                });
            }
            Err(e) => return Err(DependencyError::Unreadable { name: name.clone(), manifest, error: e.to_string() }),
        };
        let installed = serde_json::from_str::<Value>(&text)
            .map_err(|e| DependencyError::Unreadable {
                name: name.clone(),
                manifest: manifest.clone(),
                error: e.to_string(),
            })?
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_default();
        if installed != *version {
            return Err(DependencyError::WrongVersion {
                name: name.clone(),
                declared: version.clone(),
                installed,
                manifest,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory tree from `(relative path, contents)` pairs.
    fn tree(files: &[(&str, &str)]) -> tempdir::Dir {
        let dir = tempdir::Dir::new();
        for (path, contents) in files {
            let path = dir.0.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        dir
    }

    mod tempdir {
        /// A temporary directory removed on drop (the harness has no tempfile dependency).
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = std::env::temp_dir().join(format!("harness-packages-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).unwrap();
                Dir(std::fs::canonicalize(path).unwrap())
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn resolve(packages: &Packages, specifier: &str) -> Result<PathBuf, ResolveError> {
        packages.resolve(specifier, None).map(|r| r.path)
    }

    #[test]
    fn main_index_and_extensions_resolve_like_node() {
        let dir = tree(&[
            ("node_modules/a/package.json", r#"{"main": "lib/a"}"#),
            ("node_modules/a/lib/a.js", ""),
            ("node_modules/b/index.js", ""),
            ("node_modules/c/package.json", r#"{"main": "dist"}"#),
            ("node_modules/c/dist/index.json", "{}"),
            ("node_modules/d.js", ""),
            ("node_modules/e/package.json", r#"{"main": "missing.js"}"#),
        ]);
        let root = &dir.0;
        let packages = Packages::walking_up_from(root.join("src/deep"));
        assert_eq!(resolve(&packages, "a").unwrap(), root.join("node_modules/a/lib/a.js"));
        assert_eq!(resolve(&packages, "b").unwrap(), root.join("node_modules/b/index.js"));
        let c = packages.resolve("c", None).unwrap();
        assert_eq!((c.path, c.format), (root.join("node_modules/c/dist/index.json"), Format::Json));
        assert_eq!(resolve(&packages, "d").unwrap(), root.join("node_modules/d.js"));
        assert_eq!(resolve(&packages, "a/lib/a").unwrap(), root.join("node_modules/a/lib/a.js"));
        let e = resolve(&packages, "e").unwrap_err();
        assert_eq!(e.code(), "MODULE_NOT_FOUND");
        assert!(e.to_string().ends_with("missing.js'. Please verify that the package.json has a valid \"main\" entry"));
        assert_eq!(resolve(&packages, "nope").unwrap_err().to_string(), "Cannot find module 'nope'");
    }

    #[test]
    fn the_action_itself_has_no_relative_files_and_only_declared_packages() {
        let dir = tree(&[
            ("node_modules/a/package.json", r#"{"version": "1.0.0"}"#),
            ("node_modules/a/index.js", ""),
            ("node_modules/b/index.js", ""),
            ("helper.js", ""),
        ]);
        let packages = Packages::walking_up_from(&dir.0).declared([("a", "1.0.0")]);
        assert!(resolve(&packages, "a").is_ok());
        assert_eq!(resolve(&packages, "b").unwrap_err().to_string(), "Cannot find module 'b'");
        assert_eq!(resolve(&packages, "./helper").unwrap_err().to_string(), "Cannot find module './helper'");
        assert_eq!(resolve(&Packages::none(), "a").unwrap_err().code(), "MODULE_NOT_FOUND");
        // Declared, but not as installed: what to do, not Node's error.
        let other = Packages::walking_up_from(&dir.0).declared([("a", "2.0.0"), ("c", "1.0.0")]);
        let wrong = resolve(&other, "a").unwrap_err();
        assert_eq!(wrong.code(), "ERR_ACTIONKIT_DEPENDENCY");
        assert!(wrong.to_string().contains("declared as `2.0.0`, but"), "{wrong}");
        let missing = resolve(&other, "c").unwrap_err();
        assert!(missing.to_string().starts_with("dependency `c` = `1.0.0` is not installed in"), "{missing}");
    }

    #[test]
    fn packages_require_relative_files_and_their_own_dependencies_walking_up() {
        let dir = tree(&[
            ("node_modules/a/index.js", ""),
            ("node_modules/a/util/x.js", ""),
            ("node_modules/a/node_modules/dep/index.js", ""),
            ("node_modules/shared/index.js", ""),
        ]);
        let root = &dir.0;
        let packages = Packages::walking_up_from(root);
        let parent = root.join("node_modules/a/util/x.js");
        let from = |s: &str| packages.resolve(s, Some(&parent)).map(|r| r.path);
        assert_eq!(from("../index").unwrap(), root.join("node_modules/a/index.js"));
        assert_eq!(from("..").unwrap(), root.join("node_modules/a/index.js"));
        assert_eq!(from("dep").unwrap(), root.join("node_modules/a/node_modules/dep/index.js"));
        assert_eq!(from("shared").unwrap(), root.join("node_modules/shared/index.js"));
        // Out of node_modules: the sandbox reads nothing there.
        let escape = packages.resolve("../../../outside", Some(&parent));
        assert_eq!(escape.unwrap_err().code(), "MODULE_NOT_FOUND");
    }

    #[test]
    fn extra_node_modules_are_searched_after_the_walk() {
        let near = tree(&[("node_modules/a/index.js", "")]);
        let far = tree(&[("node_modules/a/index.js", ""), ("node_modules/b/index.js", "")]);
        let packages = Packages::walking_up_from(&near.0).with_node_modules(far.0.join("node_modules"));
        assert_eq!(resolve(&packages, "a").unwrap(), near.0.join("node_modules/a/index.js"));
        assert_eq!(resolve(&packages, "b").unwrap(), far.0.join("node_modules/b/index.js"));
    }

    #[test]
    fn exports_conditions_subpaths_and_patterns() {
        let dir = tree(&[
            (
                "node_modules/x/package.json",
                r#"{"main": "main.js", "exports": {
                    ".": {"import": "./esm.mjs", "require": "./cjs.js"},
                    "./feature": [{"browser": "./b.js"}, "./feature.js"],
                    "./locale/*": "./locales/*.js",
                    "./locale/en/*": "./en/*.js",
                    "./package.json": "./package.json",
                    "./hidden": null
                }}"#,
            ),
            ("node_modules/x/cjs.js", ""),
            ("node_modules/x/feature.js", ""),
            ("node_modules/x/locales/fr.js", ""),
            ("node_modules/x/en/gb.js", ""),
            ("node_modules/s/package.json", r#"{"exports": "./s.cjs"}"#),
            ("node_modules/s/s.cjs", ""),
            ("node_modules/@scope/p/package.json", r#"{"exports": {"default": "./d.js", "node": "./n.js"}}"#),
            ("node_modules/@scope/p/d.js", ""),
            ("node_modules/@scope/p/n.js", ""),
            ("node_modules/esm/package.json", r#"{"exports": {"import": "./e.mjs"}}"#),
        ]);
        let root = &dir.0;
        let packages = Packages::walking_up_from(root);
        let x = root.join("node_modules/x");
        assert_eq!(resolve(&packages, "x").unwrap(), x.join("cjs.js"));
        assert_eq!(resolve(&packages, "x/feature").unwrap(), x.join("feature.js"));
        assert_eq!(resolve(&packages, "x/locale/fr").unwrap(), x.join("locales/fr.js"));
        assert_eq!(resolve(&packages, "x/locale/en/gb").unwrap(), x.join("en/gb.js"));
        assert_eq!(resolve(&packages, "x/package.json").unwrap(), x.join("package.json"));
        // The order of the object decides, not the order of Node's conditions.
        assert_eq!(resolve(&packages, "@scope/p").unwrap(), root.join("node_modules/@scope/p/d.js"));
        let s = packages.resolve("s", None).unwrap();
        assert_eq!((s.path, s.format), (root.join("node_modules/s/s.cjs"), Format::CommonJs));
        for (specifier, message) in [
            (
                "x/cjs.js",
                format!(
                    "Package subpath './cjs.js' is not defined by \"exports\" in {}",
                    x.join("package.json").display()
                ),
            ),
            (
                "x/hidden",
                format!(
                    "Package subpath './hidden' is not defined by \"exports\" in {}",
                    x.join("package.json").display()
                ),
            ),
            ("esm", format!("No \"exports\" main defined in {}", root.join("node_modules/esm/package.json").display())),
        ] {
            let error = resolve(&packages, specifier).unwrap_err();
            assert_eq!((error.code(), error.to_string()), ("ERR_PACKAGE_PATH_NOT_EXPORTED", message), "{specifier}");
        }
    }

    #[test]
    fn es_modules_and_native_addons_are_refused_with_nodes_codes() {
        let dir = tree(&[
            ("node_modules/m/package.json", r#"{"type": "module", "main": "index.js"}"#),
            ("node_modules/m/index.js", "export default 1;"),
            ("node_modules/m/legacy.cjs", ""),
            ("node_modules/n/index.mjs", ""),
            ("node_modules/n/package.json", r#"{"main": "index.mjs"}"#),
            ("node_modules/addon/index.node", ""),
        ]);
        let packages = Packages::walking_up_from(&dir.0);
        assert_eq!(resolve(&packages, "m").unwrap_err().code(), "ERR_REQUIRE_ESM");
        assert!(resolve(&packages, "m/legacy.cjs").is_ok());
        assert_eq!(resolve(&packages, "n").unwrap_err().code(), "ERR_REQUIRE_ESM");
        assert_eq!(resolve(&packages, "addon").unwrap_err().code(), "ERR_DLOPEN_FAILED");
    }

    #[test]
    fn installed_versions_must_be_the_declared_ones() {
        let dir = tree(&[("node_modules/ms/package.json", r#"{"name": "ms", "version": "2.1.3"}"#)]);
        let node_modules = dir.0.join("node_modules");
        let declare = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
        };
        assert_eq!(check_installed(&node_modules, &declare(&[("ms", "2.1.3")])), Ok(()));
        let wrong = check_installed(&node_modules, &declare(&[("ms", "2.1.2")])).unwrap_err();
        assert!(matches!(&wrong, DependencyError::WrongVersion { installed, .. } if installed == "2.1.3"), "{wrong}");
        assert!(wrong.to_string().contains("npm install --save-exact ms@2.1.2"), "{wrong}");
        let missing = check_installed(&node_modules, &declare(&[("lodash", "4.17.21")])).unwrap_err();
        assert!(matches!(missing, DependencyError::Missing { .. }), "{missing}");
    }
}
