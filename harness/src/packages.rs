//! npm packages an Action requires: where they are ([`Packages`]), Node's resolution of a
//! `require` or `import` specifier to a file inside a `node_modules` directory, the files read
//! once per [`Packages`] (shared by every instance and thread of a suite), and the check that
//! installed versions are the declared ones ([`check_installed`]).
//!
//! `require` follows Node's CommonJS algorithm (`require.resolve` in the Node documentation, "All
//! together", and `Module._resolveFilename` of Node 22): package `imports` (`#x`) and a package
//! requiring itself by name through its `exports`, then `node_modules` directories walked up from
//! the requiring file and the extra directories (Node's `NODE_PATH`); package.json `exports`
//! (strings, `"."`, subpaths, `*` patterns, arrays, conditions in the object's order), `main`,
//! directory `index`, the extensions `.js`, `.json`, `.node`. `import` (an ES module importing
//! another file) follows Node's ES module algorithm (`moduleResolve` of Node 22): no extensions
//! or directory indexes, the `import` conditions, `main` by Node's legacy rules, no `NODE_PATH`.
//! The functions below are ports of Node 22.23's `internal/modules/esm/resolve.js` where they
//! bear Node's names, so that messages and corner cases are Node's. Files are only ever read
//! inside a `node_modules` directory: the Action itself is one file in Auth0, so its own relative
//! requires find nothing, as they would there.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Conditions of `exports`/`imports` matched by `require` (with `default`, always), as Node 22.12
/// and later: `module-sync` names an ES module without top-level await, which `require` loads.
const REQUIRE_CONDITIONS: &[&str] = &["require", "node", "node-addons", "module-sync"];

/// Conditions matched by an ES module's `import` (with `default`, always).
const IMPORT_CONDITIONS: &[&str] = &["import", "node", "node-addons", "module-sync"];

/// Which of Node's two resolutions a specifier goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `require` (and `require.resolve`).
    Require,
    /// A static or dynamic `import` in an ES module.
    Import,
}

impl Mode {
    fn conditions(self) -> &'static [&'static str] {
        match self {
            Mode::Require => REQUIRE_CONDITIONS,
            Mode::Import => IMPORT_CONDITIONS,
        }
    }
}

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
    /// The Action's own file, when it has one: the last line of Node's `Require stack:`.
    action_file: Option<PathBuf>,
    files: Arc<Files>,
}

impl PartialEq for Packages {
    fn eq(&self, other: &Packages) -> bool {
        self.base == other.base
            && self.extra == other.extra
            && self.declared == other.declared
            && self.action_file == other.action_file
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

    /// Names `file` as the Action's own file: Node ends the `Require stack:` of a failed
    /// `require` (and names the requiring file in other loader errors) with it. Without one,
    /// those errors list no Action file.
    #[must_use]
    pub fn with_action_file(mut self, file: impl Into<PathBuf>) -> Packages {
        self.action_file = Some(file.into());
        self
    }

    /// The Action's own file, if it has one.
    pub(crate) fn action_file(&self) -> Option<&Path> {
        self.action_file.as_deref()
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
    /// when `parent` is `None` (Node's `Module._resolveFilename`). Built-in modules are the
    /// caller's business.
    pub(crate) fn resolve(&self, specifier: &str, parent: Option<&Path>) -> Result<Resolved, ResolveError> {
        let not_found = || ResolveError::NotFound { specifier: specifier.to_string() };
        let relative = specifier.starts_with("./")
            || specifier.starts_with("../")
            || specifier == "."
            || specifier == ".."
            || specifier.starts_with('/');
        let Some(parent) = parent else {
            // The Action: one file in Auth0, so nothing beside it, and no package.json of its own
            // (no `imports`, no self-reference); bare names through node_modules.
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
        if specifier.starts_with('#') {
            if let Some((manifest, config)) = self.package_scope(parent)? {
                if config.get("imports").is_some_and(|i| !i.is_null()) {
                    let resolved = self.imports_resolve(specifier, parent, Mode::Require).map_err(|e| match e {
                        e if e.code() == "ERR_MODULE_NOT_FOUND" => {
                            ResolveError::EsmNotFound { request: specifier.to_string(), path: None }
                        }
                        e => e,
                    })?;
                    return self.finalize_esm_resolution(resolved, &manifest);
                }
            }
        }
        if !relative {
            if let Some(found) = self.try_self(specifier, parent)? {
                return Ok(found);
            }
        }
        let found = if relative {
            let target = normalize(&dir.join(specifier));
            match self.load_as_file(&target)? {
                Some(found) => Some(found),
                None => self.load_as_directory(&target, specifier)?,
            }
        } else {
            self.load_node_modules(specifier, dir)?
        };
        found.ok_or_else(not_found)
    }

    /// Node's `trySelf`: a package requiring itself by the name in its package.json, through its
    /// `exports`.
    fn try_self(&self, specifier: &str, parent: &Path) -> Result<Option<Resolved>, ResolveError> {
        let Some((manifest, config)) = self.package_scope(parent)? else { return Ok(None) };
        let (Some(exports), Some(name)) = (config.get("exports"), config.get("name").and_then(Value::as_str)) else {
            return Ok(None);
        };
        let expansion = if specifier == name {
            ".".to_string()
        } else if let Some(rest) = specifier.strip_prefix(name).filter(|r| r.starts_with('/')) {
            format!(".{rest}")
        } else {
            return Ok(None);
        };
        let resolved =
            self.exports_resolve(&manifest, &expansion, exports, Some(parent), Mode::Require).map_err(|e| match e {
                e if e.code() == "ERR_MODULE_NOT_FOUND" => {
                    ResolveError::EsmNotFound { request: specifier.to_string(), path: Some(manifest.clone()) }
                }
                e => e,
            })?;
        self.finalize_esm_resolution(resolved, &manifest).map(Some)
    }

    /// Node's `finalizeEsmResolution` for `require`: a file `exports`/`imports` named must exist
    /// (no extensions tried).
    fn finalize_esm_resolution(&self, resolved: PathBuf, manifest: &Path) -> Result<Resolved, ResolveError> {
        if self.files.kind(&resolved) == Kind::File {
            return self.resolved(resolved);
        }
        Err(ResolveError::EsmNotFound { request: resolved.display().to_string(), path: Some(manifest.to_path_buf()) })
    }

    /// Resolves `specifier` imported by the ES module file `parent` (Node's `moduleResolve`),
    /// with Node's hint for a bare specifier that `require` would have found. Built-in modules
    /// (`node:x` and the bare names of built-ins) are the caller's business.
    pub(crate) fn resolve_import(&self, specifier: &str, parent: &Path) -> Result<Resolved, ResolveError> {
        match self.module_resolve(specifier, parent) {
            Err(mut error) if matches!(error.code(), "ERR_MODULE_NOT_FOUND" | "ERR_UNSUPPORTED_DIR_IMPORT") => {
                if let Some(hint) = self.common_js_hint(specifier, parent) {
                    error.set_hint(hint);
                }
                Err(error)
            }
            other => other,
        }
    }

    fn module_resolve(&self, specifier: &str, parent: &Path) -> Result<Resolved, ResolveError> {
        let relative = specifier.starts_with('/') || is_relative_specifier(specifier);
        let resolved = if relative {
            if specifier.contains(['?', '#', '%']) {
                // URL queries, fragments and percent-escapes in relative specifiers are not
                // emulated: fail rather than load a different file than Node would.
                return Err(ResolveError::Unsupported {
                    specifier: specifier.to_string(),
                    what: "URL queries, fragments and %-escapes in import specifiers",
                });
            }
            normalize(&parent.parent().unwrap_or(Path::new("/")).join(specifier))
        } else if specifier.starts_with('#') {
            self.imports_resolve(specifier, parent, Mode::Import)?
        } else if has_url_scheme(specifier) {
            return Err(ResolveError::Unsupported {
                specifier: specifier.to_string(),
                what: "URL imports (data:, file:, http:)",
            });
        } else {
            self.package_resolve(specifier, parent, Mode::Import)?
        };
        // Node's finalizeResolution; nothing outside node_modules exists for the sandbox.
        let inside = resolved.components().any(|c| c.as_os_str() == "node_modules");
        match if inside { self.files.kind(&resolved) } else { Kind::Missing } {
            Kind::Dir => Err(ResolveError::DirImport { path: resolved, base: parent.to_path_buf(), hint: None }),
            Kind::Missing => {
                Err(ResolveError::ModuleNotFound { path: resolved, base: parent.to_path_buf(), hint: None })
            }
            Kind::File => {
                let found = self.resolved(resolved)?;
                let extension = found.path.extension().and_then(|e| e.to_str()).unwrap_or_default();
                if !["js", "mjs", "cjs", "json", ""].contains(&extension) {
                    return Err(ResolveError::UnknownExtension { path: found.path });
                }
                Ok(found)
            }
        }
    }

    /// Node's `resolveAsCommonJS` for a bare specifier: what `require` would have found from
    /// `parent`, as `package/sub/path` (Node gives no hint for relative specifiers from files
    /// outside the working directory, which the Action's packages are).
    fn common_js_hint(&self, specifier: &str, parent: &Path) -> Option<String> {
        if specifier.is_empty() || specifier.starts_with(['/', '.', '#']) || has_url_scheme(specifier) {
            return None;
        }
        let found = self.load_node_modules(specifier, parent.parent()?).ok()??.path;
        let package = specifier.split('/').next().unwrap_or(specifier);
        let found = found.display().to_string();
        let needle = format!("/node_modules/{package}/");
        let hint = match found.rfind(&needle) {
            Some(at) => {
                let rest = found[at + needle.len()..].split('/').map(encode_uri_component).collect::<Vec<_>>();
                format!("{package}/{}", rest.join("/"))
            }
            None => format!("file://{found}"),
        };
        (hint != specifier).then_some(hint)
    }

    /// Node's `packageResolve` (ES module resolution of a bare specifier): the package's own name
    /// through its `exports`, then `node_modules` walked up from `base` (never `NODE_PATH`).
    fn package_resolve(&self, specifier: &str, base: &Path, mode: Mode) -> Result<PathBuf, ResolveError> {
        let name = package_name(specifier);
        // Node's parsePackageName: a scope needs a name after it; no leading `.`, no `%` or `\`.
        let scope_without_name = specifier.starts_with('@') && !specifier.contains('/');
        if scope_without_name || name.starts_with('.') || name.contains(['%', '\\']) {
            return Err(ResolveError::InvalidSpecifier {
                request: specifier.to_string(),
                reason: "is not a valid package name".into(),
                base: Some(base.to_path_buf()),
            });
        }
        let subpath = format!(".{}", &specifier[name.len()..]);
        if let Some((manifest, config)) = self.package_scope(base)? {
            if let Some(exports) = config.get("exports").filter(|e| !e.is_null()) {
                if config.get("name").and_then(Value::as_str) == Some(name) {
                    return self.exports_resolve(&manifest, &subpath, exports, Some(base), mode);
                }
            }
        }
        for dir in walk_dirs(base.parent().unwrap_or(Path::new("/"))) {
            let package_dir = dir.join(name);
            if self.files.kind(&package_dir) != Kind::Dir {
                continue;
            }
            let manifest = package_dir.join("package.json");
            let config = self.package_json(&manifest)?;
            if let Some(exports) = config.as_ref().and_then(|c| c.get("exports")).filter(|e| !e.is_null()) {
                return self.exports_resolve(&manifest, &subpath, exports, Some(base), mode);
            }
            if subpath == "." {
                let main = config.as_ref().and_then(|c| c.get("main")).and_then(Value::as_str);
                return self.legacy_main_resolve(&package_dir, main, base);
            }
            return Ok(normalize(&package_dir.join(&subpath)));
        }
        Err(ResolveError::PackageNotFound { name: name.to_string(), base: base.to_path_buf(), hint: None })
    }

    /// Node's `legacyMainResolve`: `main` with Node's CommonJS extensions and index files, then
    /// the package's `index`.
    fn legacy_main_resolve(
        &self,
        package_dir: &Path,
        main: Option<&str>,
        base: &Path,
    ) -> Result<PathBuf, ResolveError> {
        if let Some(main) = main.filter(|m| !m.is_empty()) {
            for suffix in ["", ".js", ".json", ".node", "/index.js", "/index.json", "/index.node"] {
                let candidate = normalize(&package_dir.join(format!("{main}{suffix}")));
                if self.files.kind(&candidate) == Kind::File {
                    return Ok(candidate);
                }
            }
        }
        for index in ["index.js", "index.json", "index.node"] {
            let candidate = package_dir.join(index);
            if self.files.kind(&candidate) == Kind::File {
                return Ok(candidate);
            }
        }
        let initial = normalize(&package_dir.join(main.filter(|m| !m.is_empty()).unwrap_or("index.js")));
        Err(ResolveError::PackageNotFound { name: initial.display().to_string(), base: base.to_path_buf(), hint: None })
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

    /// Where `require` looks for a bare specifier from `start`, in order.
    fn node_modules_dirs(&self, start: &Path) -> Vec<PathBuf> {
        let mut dirs = walk_dirs(start);
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
            if let Some(found) = self.load_as_directory(&target, specifier)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// `exports` of the package `specifier` names in `dir`, when it has any (Node's
    /// `resolveExports`).
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
        let target = self.exports_resolve(&manifest_path, &subpath, exports, None, Mode::Require)?;
        // A file the exports name is loaded as named: no extensions tried.
        match self.files.kind(&target) {
            Kind::File => Ok(Some(self.resolved(target)?)),
            _ => Err(ResolveError::EsmNotFound { request: target.display().to_string(), path: Some(package_dir) }),
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

    /// A directory's `main` or `index` (Node's `tryPackage`); `request` is what was required,
    /// which Node's error for a `main` naming no file carries as `requestPath`.
    fn load_as_directory(&self, dir: &Path, request: &str) -> Result<Option<Resolved>, ResolveError> {
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
                return Err(ResolveError::BadMain { target, manifest: manifest_path, request: request.to_string() });
            }
        }
        self.load_index(dir)
    }

    /// What the file at `path` is; only files inside a `node_modules` directory are used.
    fn resolved(&self, path: PathBuf) -> Result<Resolved, ResolveError> {
        if !path.components().any(|c| c.as_os_str() == "node_modules") {
            return Err(ResolveError::NotFound { specifier: path.display().to_string() });
        }
        // Node identifies a module by its real path (symlinked packages load once).
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let format = match extension {
            "json" => Format::Json,
            "node" => return Err(ResolveError::Native { path }),
            "mjs" => Format::Module,
            "cjs" => Format::CommonJs,
            // Node gives a file without extension the `.js` rules.
            "js" | "" => match self.package_type(&path)?.as_deref() {
                Some("module") => Format::Module,
                Some("commonjs") => Format::CommonJs,
                _ => Format::Typeless,
            },
            _ => Format::CommonJs,
        };
        Ok(Resolved { path, format })
    }

    /// The `type` of the package a `.js` file belongs to.
    fn package_type(&self, file: &Path) -> Result<Option<String>, ResolveError> {
        Ok(self.package_scope(file)?.and_then(|(_, config)| config.get("type")?.as_str().map(str::to_string)))
    }

    /// The nearest package.json above `file` (Node's package scope), not looking above the
    /// `node_modules` directory it is in.
    fn package_scope(&self, file: &Path) -> Result<Option<(PathBuf, Arc<Value>)>, ResolveError> {
        for dir in file.ancestors().skip(1) {
            if dir.file_name().is_some_and(|n| n == "node_modules") {
                return Ok(None);
            }
            let manifest = dir.join("package.json");
            if let Some(config) = self.package_json(&manifest)? {
                return Ok(Some((manifest, config)));
            }
        }
        Ok(None)
    }

    fn package_json(&self, path: &Path) -> Result<Option<Arc<Value>>, ResolveError> {
        self.files.package_json(path)
    }

    /// Node's `packageExportsResolve`: the file `subpath` (`.` or `./x`) of the package whose
    /// package.json is `manifest` resolves to; `base` is the importing file, named in messages
    /// (absent for a plain `require` of another package, as in Node).
    fn exports_resolve(
        &self,
        manifest: &Path,
        subpath: &str,
        exports: &Value,
        base: Option<&Path>,
        mode: Mode,
    ) -> Result<PathBuf, ResolveError> {
        let context = TargetContext { manifest, base, internal: false, mode };
        let not_exported = || ResolveError::NotExported {
            subpath: subpath.to_string(),
            manifest: manifest.to_path_buf(),
            base: base.map(Path::to_path_buf),
        };
        let sugar = match exports {
            Value::String(_) | Value::Array(_) => true,
            Value::Object(map) => {
                let mut sugar = None;
                for key in map.keys() {
                    let this = key.is_empty() || !key.starts_with('.');
                    match sugar {
                        None => sugar = Some(this),
                        Some(first) if first != this => {
                            return Err(ResolveError::InvalidConfig {
                                manifest: manifest.to_path_buf(),
                                base: base.map(Path::to_path_buf),
                                message: "\"exports\" cannot contain some keys starting with '.' and some not. The exports object must either be an object of package subpath keys or an object of main entry condition name keys only.".into(),
                            });
                        }
                        Some(_) => {}
                    }
                }
                sugar.unwrap_or(false)
            }
            _ => false,
        };
        let wrapped;
        let exports = if sugar {
            wrapped = Value::Object([(".".to_string(), exports.clone())].into_iter().collect());
            &wrapped
        } else {
            exports
        };
        let Some(map) = exports.as_object() else { return Err(not_exported()) };
        if let Some(target) = map.get(subpath).filter(|_| !subpath.contains('*') && !subpath.ends_with('/')) {
            return match self.target_resolve(&context, target, "", subpath, false)? {
                Target::Found(found) => Ok(found),
                Target::Null | Target::Undefined => Err(not_exported()),
            };
        }
        match best_pattern(map, subpath) {
            Some((key, matched)) => match self.target_resolve(&context, &map[key], matched, key, true)? {
                Target::Found(found) => Ok(found),
                Target::Null | Target::Undefined => Err(not_exported()),
            },
            None => Err(not_exported()),
        }
    }

    /// Node's `packageImportsResolve`: the target of the `#name` specifier in the `imports` of
    /// the package `base` belongs to.
    fn imports_resolve(&self, name: &str, base: &Path, mode: Mode) -> Result<PathBuf, ResolveError> {
        if name == "#" || name.starts_with("#/") || name.ends_with('/') {
            return Err(ResolveError::InvalidSpecifier {
                request: name.to_string(),
                reason: "is not a valid internal imports specifier name".into(),
                base: Some(base.to_path_buf()),
            });
        }
        let scope = self.package_scope(base)?;
        if let Some((manifest, config)) = &scope {
            if let Some(imports) = config.get("imports").and_then(Value::as_object) {
                let context = TargetContext { manifest, base: Some(base), internal: true, mode };
                let result = match imports.get(name).filter(|_| !name.contains('*')) {
                    Some(target) => Some(self.target_resolve(&context, target, "", name, false)?),
                    None => match best_pattern(imports, name) {
                        Some((key, matched)) => {
                            Some(self.target_resolve(&context, &imports[key], matched, key, true)?)
                        }
                        None => None,
                    },
                };
                if let Some(Target::Found(found)) = result {
                    return Ok(found);
                }
            }
        }
        Err(ResolveError::ImportNotDefined {
            specifier: name.to_string(),
            manifest: scope.map(|(manifest, _)| manifest),
            base: base.to_path_buf(),
        })
    }

    /// Node's `resolvePackageTarget`.
    fn target_resolve(
        &self,
        context: &TargetContext<'_>,
        target: &Value,
        subpath: &str,
        key: &str,
        pattern: bool,
    ) -> Result<Target, ResolveError> {
        match target {
            Value::String(text) => self.target_resolve_string(context, text, subpath, key, pattern).map(Target::Found),
            Value::Array(targets) => {
                if targets.is_empty() {
                    return Ok(Target::Null);
                }
                let mut last: Option<Result<Target, ResolveError>> = None;
                for item in targets {
                    match self.target_resolve(context, item, subpath, key, pattern) {
                        Ok(Target::Found(found)) => return Ok(Target::Found(found)),
                        Ok(Target::Undefined) => {}
                        Ok(Target::Null) => last = Some(Ok(Target::Null)),
                        Err(e @ ResolveError::InvalidTarget { .. }) => last = Some(Err(e)),
                        Err(e) => return Err(e),
                    }
                }
                last.unwrap_or(Ok(Target::Undefined))
            }
            Value::Object(conditions) => {
                if conditions.keys().any(|k| is_array_index(k)) {
                    return Err(ResolveError::InvalidConfig {
                        manifest: context.manifest.to_path_buf(),
                        base: context.base.map(Path::to_path_buf),
                        message: "\"exports\" cannot contain numeric property keys.".into(),
                    });
                }
                for (condition, value) in conditions {
                    if condition == "default" || context.mode.conditions().contains(&condition.as_str()) {
                        match self.target_resolve(context, value, subpath, key, pattern)? {
                            Target::Undefined => {}
                            other => return Ok(other),
                        }
                    }
                }
                Ok(Target::Undefined)
            }
            Value::Null => Ok(Target::Null),
            other => Err(context.invalid_target(key, &other.to_string())),
        }
    }

    /// Node's `resolvePackageTargetString`.
    fn target_resolve_string(
        &self,
        context: &TargetContext<'_>,
        target: &str,
        subpath: &str,
        key: &str,
        pattern: bool,
    ) -> Result<PathBuf, ResolveError> {
        let invalid = || context.invalid_target(key, target);
        if !subpath.is_empty() && !pattern && !target.ends_with('/') {
            return Err(invalid());
        }
        let Some(rest) = target.strip_prefix("./") else {
            if context.internal && !target.starts_with('/') && !target.starts_with("../") && !has_url_scheme(target) {
                // An `imports` target may name another package.
                let specifier = if pattern { target.replace('*', subpath) } else { format!("{target}{subpath}") };
                let base = context.base.unwrap_or(context.manifest);
                return self.package_resolve(&specifier, base, context.mode);
            }
            return Err(invalid());
        };
        if has_invalid_segment(rest) {
            return Err(invalid());
        }
        let package_dir = context.manifest.parent().unwrap_or(Path::new("/"));
        let resolved = normalize(&package_dir.join(rest));
        if !resolved.starts_with(package_dir) {
            return Err(invalid());
        }
        if subpath.is_empty() {
            return Ok(resolved);
        }
        if has_invalid_segment(subpath) {
            let request = if pattern { key.replacen('*', subpath, 1) } else { format!("{key}{subpath}") };
            return Err(ResolveError::InvalidSpecifier {
                request,
                reason: format!(
                    "request is not a valid match in pattern \"{key}\" for the \"{}\" resolution of {}",
                    if context.internal { "imports" } else { "exports" },
                    context.manifest.display()
                ),
                base: context.base.map(Path::to_path_buf),
            });
        }
        if pattern {
            return Ok(normalize(&package_dir.join(rest.replace('*', subpath))));
        }
        Ok(normalize(&resolved.join(subpath)))
    }
}

/// What Node's `resolvePackageTarget` returns: a file, `null` (excluded), or `undefined` (no
/// condition matched).
enum Target {
    Found(PathBuf),
    Null,
    Undefined,
}

/// The package.json whose `exports` or `imports` are resolved, for Node's messages.
struct TargetContext<'a> {
    manifest: &'a Path,
    base: Option<&'a Path>,
    /// `imports` rather than `exports`.
    internal: bool,
    mode: Mode,
}

impl TargetContext<'_> {
    fn invalid_target(&self, key: &str, target: &str) -> ResolveError {
        ResolveError::InvalidTarget {
            manifest: self.manifest.to_path_buf(),
            key: key.to_string(),
            target: target.to_string(),
            internal: self.internal,
            base: self.base.map(Path::to_path_buf),
        }
    }
}

/// The `*` pattern key of `map` that best matches `subpath` (Node's `patternKeyCompare`
/// ordering), and the part of `subpath` the `*` stands for.
fn best_pattern<'a, 's>(map: &'a serde_json::Map<String, Value>, subpath: &'s str) -> Option<(&'a str, &'s str)> {
    let mut best: Option<(&str, &str)> = None;
    for key in map.keys() {
        let Some(star) = key.find('*') else { continue };
        if !subpath.starts_with(&key[..star]) {
            continue;
        }
        let trailer = &key[star + 1..];
        if subpath.len() >= key.len()
            && subpath.ends_with(trailer)
            && best.is_none_or(|(b, _)| pattern_key_compare(b, key) == std::cmp::Ordering::Greater)
            && key.rfind('*') == Some(star)
        {
            best = Some((key, &subpath[star..subpath.len() - trailer.len()]));
        }
    }
    best
}

/// Node's `patternKeyCompare`: `Greater` when `b` sorts first (longer base, then longer key).
fn pattern_key_compare(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (a_star, b_star) = (a.find('*'), b.find('*'));
    let base_a = a_star.map_or(a.len(), |i| i + 1);
    let base_b = b_star.map_or(b.len(), |i| i + 1);
    if base_a > base_b {
        return Less;
    }
    if base_b > base_a {
        return Greater;
    }
    if a_star.is_none() {
        return Greater;
    }
    if b_star.is_none() {
        return Less;
    }
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Greater => Less,
        std::cmp::Ordering::Less => Greater,
        Equal => Equal,
    }
}

/// Node's `deprecatedInvalidSegmentRegEx`: a `.`, `..` or `node_modules` segment, which Node
/// rejects (empty segments, which it only warns about, pass).
fn has_invalid_segment(path: &str) -> bool {
    path.split(['/', '\\']).any(|segment| {
        let decoded = segment.replace("%2e", ".").replace("%2E", ".");
        decoded == "." || decoded == ".." || segment.eq_ignore_ascii_case("node_modules")
    })
}

fn is_array_index(key: &str) -> bool {
    key.parse::<u32>().is_ok_and(|n| n.to_string() == key && n < u32::MAX)
}

fn is_relative_specifier(specifier: &str) -> bool {
    specifier == "." || specifier == ".." || specifier.starts_with("./") || specifier.starts_with("../")
}

/// Whether `specifier` parses as an absolute URL (`node:x`, `data:…`, `https://…`).
fn has_url_scheme(specifier: &str) -> bool {
    let Some((scheme, _)) = specifier.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// JavaScript's `encodeURIComponent`.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `node_modules` directories in `start` and each parent (Node's `_nodeModulePaths`; the ES
/// module resolution searches only these).
fn walk_dirs(start: &Path) -> Vec<PathBuf> {
    start
        .ancestors()
        .filter(|dir| dir.file_name().is_none_or(|n| n != "node_modules"))
        .map(|dir| dir.join("node_modules"))
        .collect()
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

/// A file `require` or `import` loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Its real path: the module's identity (`__filename`, the module cache key).
    pub(crate) path: PathBuf,
    pub(crate) format: Format,
}

/// How a resolved file is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A CommonJS module (`.cjs`, or `.js` under `"type": "commonjs"`).
    CommonJs,
    /// A `.js` file under no `type`: CommonJS, unless it only parses as an ES module (Node 22's
    /// syntax detection).
    Typeless,
    /// An ES module (`.mjs`, or `.js` under `"type": "module"`).
    Module,
    /// `module.exports` is the parsed file.
    Json,
}

/// Why `require` or `import` found no file to load: each is the error Node throws, with its
/// `code`, class ([`ResolveError::is_type_error`]) and extra properties
/// ([`ResolveError::properties`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ResolveError {
    /// `require` found nothing under that name (Node adds the `Require stack:` to this one).
    #[error("Cannot find module '{specifier}'")]
    NotFound { specifier: String },
    /// A package's `main` names no file.
    #[error("Cannot find module '{}'. Please verify that the package.json has a valid \"main\" entry", target.display())]
    BadMain { target: PathBuf, manifest: PathBuf, request: String },
    /// A file a package's `exports`/`imports` name for `require` does not exist.
    #[error("Cannot find module '{request}'")]
    EsmNotFound { request: String, path: Option<PathBuf> },
    /// The package's `exports` do not export that subpath.
    #[error("{}{}", not_exported_message(subpath, manifest), imported_from(base.as_deref()))]
    NotExported { subpath: String, manifest: PathBuf, base: Option<PathBuf> },
    /// An `exports`/`imports` target that is not a file inside the package.
    #[error(
        "Invalid \"{}\" {}target {} defined {}in the package config {}{}{}",
        if *internal { "imports" } else { "exports" },
        if key == "." { "main " } else { "" },
        serde_json::to_string(target).unwrap_or_default(),
        if key == "." { String::new() } else { format!("for '{key}' ") },
        manifest.display(),
        imported_from(base.as_deref()),
        if !*internal && !target.is_empty() && !target.starts_with("./") { "; targets must start with \"./\"" } else { "" }
    )]
    InvalidTarget { manifest: PathBuf, key: String, target: String, internal: bool, base: Option<PathBuf> },
    /// The package's `exports` are malformed.
    #[error("Invalid package config {}{}. {message}", manifest.display(), base.as_ref().map(|b| format!(" while importing {}", b.display())).unwrap_or_default())]
    InvalidConfig { manifest: PathBuf, base: Option<PathBuf>, message: String },
    /// A `#name` its package's `imports` do not define.
    #[error(
        "Package import specifier \"{specifier}\" is not defined{} imported from {}",
        manifest.as_ref().map(|m| format!(" in package {}", m.display())).unwrap_or_default(),
        base.display()
    )]
    ImportNotDefined { specifier: String, manifest: Option<PathBuf>, base: PathBuf },
    /// A malformed specifier.
    #[error("Invalid module \"{request}\" {reason}{}", imported_from(base.as_deref()))]
    InvalidSpecifier { request: String, reason: String, base: Option<PathBuf> },
    /// `import` of a file that does not exist.
    #[error("Cannot find module '{}' imported from {}{}", path.display(), base.display(), hint_line(hint.as_deref()))]
    ModuleNotFound { path: PathBuf, base: PathBuf, hint: Option<String> },
    /// `import` of a package that is not installed.
    #[error("Cannot find package '{name}' imported from {}{}", base.display(), hint_line(hint.as_deref()))]
    PackageNotFound { name: String, base: PathBuf, hint: Option<String> },
    /// `import` of a directory.
    #[error("Directory import '{}' is not supported resolving ES modules imported from {}{}", path.display(), base.display(), hint_line(hint.as_deref()))]
    DirImport { path: PathBuf, base: PathBuf, hint: Option<String> },
    /// `import` of a file Node has no loader for.
    #[error("Unknown file extension \"{}\" for {}", path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default(), path.display())]
    UnknownExtension { path: PathBuf },
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

fn imported_from(base: Option<&Path>) -> String {
    base.map(|b| format!(" imported from {}", b.display())).unwrap_or_default()
}

fn hint_line(hint: Option<&str>) -> String {
    hint.map(|h| format!("\nDid you mean to import {}?", serde_json::to_string(h).unwrap_or_default()))
        .unwrap_or_default()
}

impl ResolveError {
    /// Node's `error.code`.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            ResolveError::NotFound { .. }
            | ResolveError::BadMain { .. }
            | ResolveError::EsmNotFound { .. }
            | ResolveError::Unsupported { .. } => "MODULE_NOT_FOUND",
            ResolveError::NotExported { .. } => "ERR_PACKAGE_PATH_NOT_EXPORTED",
            ResolveError::InvalidTarget { .. } => "ERR_INVALID_PACKAGE_TARGET",
            ResolveError::InvalidConfig { .. } | ResolveError::BadPackageJson { .. } => "ERR_INVALID_PACKAGE_CONFIG",
            ResolveError::ImportNotDefined { .. } => "ERR_PACKAGE_IMPORT_NOT_DEFINED",
            ResolveError::InvalidSpecifier { .. } => "ERR_INVALID_MODULE_SPECIFIER",
            ResolveError::ModuleNotFound { .. } | ResolveError::PackageNotFound { .. } => "ERR_MODULE_NOT_FOUND",
            ResolveError::DirImport { .. } => "ERR_UNSUPPORTED_DIR_IMPORT",
            ResolveError::UnknownExtension { .. } => "ERR_UNKNOWN_FILE_EXTENSION",
            ResolveError::Native { .. } => "ERR_DLOPEN_FAILED",
            ResolveError::Read { .. } => "EACCES",
            ResolveError::Undeclared(_) => "ERR_ACTIONKIT_DEPENDENCY",
        }
    }

    /// Node throws a `TypeError` (rather than an `Error`) for these.
    pub(crate) fn is_type_error(&self) -> bool {
        matches!(
            self,
            ResolveError::ImportNotDefined { .. }
                | ResolveError::InvalidSpecifier { .. }
                | ResolveError::UnknownExtension { .. }
        )
    }

    /// Whether Node adds the `Require stack:` lines and `requireStack` (only to
    /// `Module._resolveFilename`'s own "Cannot find module").
    pub(crate) fn has_require_stack(&self) -> bool {
        matches!(self, ResolveError::NotFound { .. })
    }

    /// The other own properties Node's error has (`path`, `requestPath`, `url`).
    pub(crate) fn properties(&self) -> Vec<(&'static str, String)> {
        match self {
            ResolveError::BadMain { manifest, request, .. } => {
                vec![("path", manifest.display().to_string()), ("requestPath", request.clone())]
            }
            ResolveError::EsmNotFound { path: Some(path), .. } => vec![("path", path.display().to_string())],
            ResolveError::ModuleNotFound { path, .. } | ResolveError::DirImport { path, .. } => {
                vec![("url", format!("file://{}", path.display()))]
            }
            _ => Vec::new(),
        }
    }

    fn set_hint(&mut self, text: String) {
        if let ResolveError::ModuleNotFound { hint, .. }
        | ResolveError::PackageNotFound { hint, .. }
        | ResolveError::DirImport { hint, .. } = self
        {
            *hint = Some(text);
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
    fn formats_follow_extensions_and_package_type_and_native_addons_are_refused() {
        let dir = tree(&[
            ("node_modules/m/package.json", r#"{"type": "module", "main": "index.js"}"#),
            ("node_modules/m/index.js", "export default 1;"),
            ("node_modules/m/legacy.cjs", ""),
            ("node_modules/n/index.mjs", ""),
            ("node_modules/n/package.json", r#"{"main": "index.mjs"}"#),
            ("node_modules/c/package.json", r#"{"type": "commonjs"}"#),
            ("node_modules/c/index.js", ""),
            ("node_modules/t/index.js", ""),
            ("node_modules/addon/index.node", ""),
        ]);
        let packages = Packages::walking_up_from(&dir.0);
        let format = |s: &str| packages.resolve(s, None).map(|r| r.format);
        assert_eq!(format("m"), Ok(Format::Module));
        assert_eq!(format("m/legacy.cjs"), Ok(Format::CommonJs));
        assert_eq!(format("n"), Ok(Format::Module));
        assert_eq!(format("c"), Ok(Format::CommonJs));
        assert_eq!(format("t"), Ok(Format::Typeless));
        assert_eq!(resolve(&packages, "addon").unwrap_err().code(), "ERR_DLOPEN_FAILED");
    }

    #[test]
    fn package_imports_and_self_reference_resolve_like_node() {
        let dir = tree(&[
            (
                "node_modules/p/package.json",
                r##"{"name": "p", "exports": {".": "./index.js", "./feature": "./f.js"},
                    "imports": {"#dep": {"import": "./dep.mjs", "require": "./dep.cjs"}, "#b/*": "./b/*.js",
                                "#ms": "ms", "#none": null, "#up": "../x.js", "#gone": "./gone.js"}}"##,
            ),
            ("node_modules/p/index.js", ""),
            ("node_modules/p/f.js", ""),
            ("node_modules/p/dep.cjs", ""),
            ("node_modules/p/dep.mjs", ""),
            ("node_modules/p/b/one.js", ""),
            ("node_modules/ms/index.js", ""),
        ]);
        let root = &dir.0;
        let p = root.join("node_modules/p");
        let packages = Packages::walking_up_from(root);
        let parent = p.join("index.js");
        let require = |s: &str| packages.resolve(s, Some(&parent)).map(|r| r.path);
        let import = |s: &str| packages.resolve_import(s, &parent).map(|r| r.path);
        assert_eq!(require("#dep").unwrap(), p.join("dep.cjs"));
        assert_eq!(import("#dep").unwrap(), p.join("dep.mjs"));
        assert_eq!(require("#b/one").unwrap(), p.join("b/one.js"));
        assert_eq!(require("#ms").unwrap(), root.join("node_modules/ms/index.js"));
        assert_eq!(require("p/feature").unwrap(), p.join("f.js"));
        let manifest = p.join("package.json").display().to_string();
        let from = parent.display().to_string();
        for (specifier, code, message) in [
            (
                "#none",
                "ERR_PACKAGE_IMPORT_NOT_DEFINED",
                format!("Package import specifier \"#none\" is not defined in package {manifest} imported from {from}"),
            ),
            (
                "#up",
                "ERR_INVALID_PACKAGE_TARGET",
                format!("Invalid \"imports\" target \"../x.js\" defined for '#up' in the package config {manifest} imported from {from}"),
            ),
            ("#gone", "MODULE_NOT_FOUND", format!("Cannot find module '{}'", p.join("gone.js").display())),
            ("#", "ERR_INVALID_MODULE_SPECIFIER", format!("Invalid module \"#\" is not a valid internal imports specifier name imported from {from}")),
            (
                "p/nope",
                "ERR_PACKAGE_PATH_NOT_EXPORTED",
                format!("Package subpath './nope' is not defined by \"exports\" in {manifest} imported from {from}"),
            ),
        ] {
            let error = require(specifier).unwrap_err();
            assert_eq!((error.code(), error.to_string()), (code, message), "{specifier}");
        }
        // The Action has no package.json: `#x` is a name like any other.
        assert_eq!(resolve(&packages, "#dep").unwrap_err().to_string(), "Cannot find module '#dep'");
    }

    #[test]
    fn imports_need_exact_files_and_say_what_require_would_have_found() {
        let dir = tree(&[
            ("node_modules/e/package.json", r#"{"name": "e", "type": "module", "main": "index.js"}"#),
            ("node_modules/e/index.js", ""),
            ("node_modules/e/helper.js", ""),
            ("node_modules/e/lib/index.js", ""),
            ("node_modules/legacy/package.json", r#"{"main": "lib/main"}"#),
            ("node_modules/legacy/lib/main.js", ""),
        ]);
        let e = dir.0.join("node_modules/e");
        let packages = Packages::walking_up_from(&dir.0);
        let parent = e.join("index.js");
        let import = |s: &str| packages.resolve_import(s, &parent);
        assert_eq!(import("./helper.js").unwrap().path, e.join("helper.js"));
        assert_eq!(import("legacy").unwrap().path, dir.0.join("node_modules/legacy/lib/main.js"));
        let from = parent.display();
        for (specifier, code, message) in [
            ("./helper", "ERR_MODULE_NOT_FOUND", format!("Cannot find module '{}' imported from {from}", e.join("helper").display())),
            (
                "e/helper",
                "ERR_MODULE_NOT_FOUND",
                format!("Cannot find module '{}' imported from {from}\nDid you mean to import \"e/helper.js\"?", e.join("helper").display()),
            ),
            (
                "e/lib",
                "ERR_UNSUPPORTED_DIR_IMPORT",
                format!(
                    "Directory import '{}' is not supported resolving ES modules imported from {from}\nDid you mean to import \"e/lib/index.js\"?",
                    e.join("lib").display()
                ),
            ),
            ("nopkg", "ERR_MODULE_NOT_FOUND", format!("Cannot find package 'nopkg' imported from {from}")),
            ("@bad", "ERR_INVALID_MODULE_SPECIFIER", format!("Invalid module \"@bad\" is not a valid package name imported from {from}")),
        ] {
            let error = import(specifier).unwrap_err();
            assert_eq!((error.code(), error.to_string()), (code, message), "{specifier}");
        }
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
