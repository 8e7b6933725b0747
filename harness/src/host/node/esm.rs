//! ES modules in npm packages, loaded as Node 22.23 loads them: Boa's module records
//! ([`Module`]) with a [`ModuleLoader`] that resolves `import` specifiers with Node's ES module
//! resolution (`packages.rs`), wraps built-ins, CommonJS and JSON files an ES module imports in
//! synthetic modules (CommonJS named exports are what Node's cjs-module-lexer finds in the
//! source, `cjs_lexer.js`), and fills `import.meta`. `require` of an ES module
//! ([`require_module`]) loads, links and evaluates its graph synchronously, refuses a graph with
//! top-level await (`ERR_REQUIRE_ASYNC_MODULE`) or a cycle through `require`
//! (`ERR_REQUIRE_CYCLE_MODULE`), and returns the namespace with Node's interop (`module.exports`
//! export, `__esModule` facade). Every module is loaded once per Action instance.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use boa_engine::builtins::promise::PromiseState;
use boa_engine::module::{ModuleLoader, ModuleRequest, Referrer, SyntheticModuleInitializer};
use boa_engine::object::builtins::JsArray;
use boa_engine::{
    js_string, Context, JsArgs, JsError, JsNativeError, JsObject, JsResult, JsString, JsValue, Module, NativeFunction,
    Source,
};

use super::arg_string;
use crate::host::Host;
use crate::instance::jobs::Jobs;
use crate::packages::{Format, ResolveError};

/// The specifier a `require` facade imports its ES module by (only a facade, which has no path,
/// can name it).
const FACADE: &str = "\u{0}actionkit-require-facade:";

/// The ES modules of one Action instance, and what the loader needs to load more.
pub(crate) struct Loader {
    /// Runs Boa's module-loading steps synchronously.
    jobs: Rc<Jobs>,
    /// The JS loader's callbacks (`builtin`, `commonJsExportNames`, `evaluateCommonJs`).
    hooks: RefCell<Option<JsObject>>,
    /// Modules by real path: ES modules, and the wrappers of CommonJS and JSON files imported.
    modules: RefCell<HashMap<PathBuf, Module>>,
    /// Which of `modules` are ES modules (source text).
    source_text: RefCell<HashSet<PathBuf>>,
    /// Wrappers of built-in modules, by name.
    builtins: RefCell<HashMap<String, Module>>,
    /// `__esModule` facades `require` returns, by the path of the module they wrap.
    facades: RefCell<HashMap<PathBuf, Module>>,
    /// ES module → the ES modules it imports (with the specifier), for the top-level-await and
    /// cycle checks of `require`.
    edges: RefCell<HashMap<PathBuf, Vec<(String, PathBuf)>>>,
    /// Whether an ES module has top-level await, by path.
    tla: RefCell<HashMap<PathBuf, bool>>,
    /// ES modules whose evaluation finished (without error) through `require`.
    evaluated: RefCell<HashSet<PathBuf>>,
    /// ES modules a `require` is evaluating right now.
    evaluating: RefCell<HashSet<PathBuf>>,
}

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader").field("modules", &self.modules.borrow().len()).finish_non_exhaustive()
    }
}

impl Loader {
    pub(crate) fn new(jobs: Rc<Jobs>) -> Loader {
        Loader {
            jobs,
            hooks: RefCell::default(),
            modules: RefCell::default(),
            source_text: RefCell::default(),
            builtins: RefCell::default(),
            facades: RefCell::default(),
            edges: RefCell::default(),
            tla: RefCell::default(),
            evaluated: RefCell::default(),
            evaluating: RefCell::default(),
        }
    }

    fn hook(&self, name: &str, ctx: &mut Context) -> JsResult<JsObject> {
        let hooks = self.hooks.borrow().clone().ok_or_else(|| internal("the ES module hooks are not installed"))?;
        hooks.get(JsString::from(name), ctx)?.as_object().ok_or_else(|| internal("an ES module hook is missing"))
    }

    /// Node's HostLoadImportedModule: the module `request` names, imported by `referrer`.
    fn load(&self, referrer: &Referrer, request: &ModuleRequest, ctx: &mut Context) -> JsResult<Module> {
        let specifier = request.specifier().to_std_string_escaped();
        let parent = referrer.path().map(Path::to_path_buf);
        if let (Some(target), None) = (specifier.strip_prefix(FACADE), &parent) {
            if let Some(module) = self.modules.borrow().get(Path::new(target)) {
                return Ok(module.clone());
            }
        }
        // Only files of npm packages import: the Action is a CommonJS file Auth0 loads with
        // `require`, and what `import()` from it would do depends on Auth0's loader.
        let Some(parent) = parent.filter(|p| p.is_absolute() && in_node_modules(p)) else {
            return Err(node_error(
                false,
                "ERR_ACTIONKIT_UNSUPPORTED",
                format!("Cannot import '{specifier}': the harness loads ES modules only from npm packages (import() in the Action is not emulated)"),
                &[],
                ctx,
            ));
        };
        if let Some(name) = specifier.strip_prefix("node:") {
            return self.builtin(name, ctx)?.ok_or_else(|| {
                node_error(
                    false,
                    "ERR_UNKNOWN_BUILTIN_MODULE",
                    format!("No such built-in module: {specifier}"),
                    &[],
                    ctx,
                )
            });
        }
        if !specifier.starts_with(['.', '/', '#']) {
            if let Some(module) = self.builtin(&specifier, ctx)? {
                return Ok(module);
            }
        }
        let packages = Host::of(ctx)?.0.borrow().packages.clone();
        let resolved = packages.resolve_import(&specifier, &parent).map_err(|e| resolve_error(&e, ctx))?;
        let path = resolved.path;
        check_attributes(request, resolved.format, &path, ctx)?;
        let cached = self.modules.borrow().get(&path).cloned();
        let module = match cached {
            Some(module) => module,
            None => match resolved.format {
                Format::Module => self.parse_module(&path, ctx)?,
                Format::Typeless
                    if only_parses_as_module(&packages.read(&path).map_err(|e| resolve_error(&e, ctx))?) =>
                {
                    self.parse_module(&path, ctx)?
                }
                Format::CommonJs | Format::Typeless => self.common_js(&path, ctx)?,
                Format::Json => {
                    let text = packages.read(&path).map_err(|e| resolve_error(&e, ctx))?;
                    let module = Module::parse_json(JsString::from(text.trim_start_matches('\u{feff}')), ctx)?;
                    self.modules.borrow_mut().insert(path.clone(), module.clone());
                    module
                }
            },
        };
        if self.source_text.borrow().contains(&parent) && self.source_text.borrow().contains(&path) {
            let mut edges = self.edges.borrow_mut();
            let list = edges.entry(parent).or_default();
            if !list.iter().any(|(_, p)| *p == path) {
                list.push((specifier, path));
            }
        }
        Ok(module)
    }

    /// The ES module at `path`, parsed once.
    fn parse_module(&self, path: &Path, ctx: &mut Context) -> JsResult<Module> {
        if let Some(module) = self.modules.borrow().get(path) {
            return Ok(module.clone());
        }
        let packages = Host::of(ctx)?.0.borrow().packages.clone();
        let text = packages.read(path).map_err(|e| resolve_error(&e, ctx))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let module = Module::parse(Source::from_bytes(text).with_path(path), None, ctx)?;
        self.modules.borrow_mut().insert(path.to_path_buf(), module.clone());
        self.source_text.borrow_mut().insert(path.to_path_buf());
        Ok(module)
    }

    /// A built-in module as an ES module: `default` is the module object, and each of its own
    /// enumerable properties is a named export (Node's built-in facades).
    fn builtin(&self, name: &str, ctx: &mut Context) -> JsResult<Option<Module>> {
        if let Some(module) = self.builtins.borrow().get(name) {
            return Ok(Some(module.clone()));
        }
        let found = self.hook("builtin", ctx)?.call(&JsValue::undefined(), &[JsString::from(name).into()], ctx)?;
        let Some(found) = found.as_object() else { return Ok(None) };
        let exports = found.get(0, ctx)?;
        let names = found.get(1, ctx)?.as_object().ok_or_else(|| internal("builtin hook answered no names"))?;
        let export_names = export_names(&names, ctx)?;
        let module = Module::synthetic(
            &export_names,
            SyntheticModuleInitializer::from_copy_closure_with_captures(
                |module, (exports, names): &(JsValue, JsObject), ctx| {
                    module.set_export(&js_string!("default"), exports.clone())?;
                    let names = JsArray::from_object(names.clone())?;
                    if let Some(object) = exports.as_object() {
                        for i in 0..names.length(ctx)? {
                            let name = names.get(i, ctx)?.to_string(ctx)?;
                            if name != js_string!("default") {
                                let value = object.get(name.clone(), ctx)?;
                                module.set_export(&name, value)?;
                            }
                        }
                    }
                    Ok(())
                },
                (exports, names),
            ),
            None,
            None,
            ctx,
        );
        self.builtins.borrow_mut().insert(name.to_string(), module.clone());
        Ok(Some(module))
    }

    /// A CommonJS file an ES module imports (Node's `createCJSModuleWrap`): `default` is its
    /// `module.exports`, the names cjs-module-lexer finds in its source (and in what it
    /// re-exports) are named exports, set from `module.exports` when they are own properties.
    /// The file runs through the CommonJS loader (sharing `require.cache`) when the importing
    /// graph is evaluated.
    fn common_js(&self, path: &Path, ctx: &mut Context) -> JsResult<Module> {
        let file: JsValue = JsString::from(path.display().to_string()).into();
        let names =
            self.hook("commonJsExportNames", ctx)?.call(&JsValue::undefined(), std::slice::from_ref(&file), ctx)?;
        let names = names.as_object().ok_or_else(|| internal("commonJsExportNames answered no array"))?;
        let export_names = export_names(&names, ctx)?;
        let evaluate = self.hook("evaluateCommonJs", ctx)?;
        let module = Module::synthetic(
            &export_names,
            SyntheticModuleInitializer::from_copy_closure_with_captures(
                |module, (evaluate, file, names): &(JsObject, JsValue, JsObject), ctx| {
                    // [module.exports, value of each name (undefined when not an own property)]
                    let values = evaluate.call(&JsValue::undefined(), &[file.clone(), names.clone().into()], ctx)?;
                    let values = values.as_object().ok_or_else(|| internal("evaluateCommonJs answered no array"))?;
                    let names = JsArray::from_object(names.clone())?;
                    for i in 0..names.length(ctx)? {
                        let name = names.get(i, ctx)?.to_string(ctx)?;
                        if name != js_string!("default") {
                            module.set_export(&name, values.get(i + 1, ctx)?)?;
                        }
                    }
                    module.set_export(&js_string!("default"), values.get(0, ctx)?)?;
                    Ok(())
                },
                (evaluate, file, names),
            ),
            Some(path.to_path_buf()),
            None,
            ctx,
        );
        self.modules.borrow_mut().insert(path.to_path_buf(), module.clone());
        Ok(module)
    }

    /// Whether the ES module at `path` has top-level await (what Boa decides it by), read once.
    fn has_tla(&self, path: &Path, ctx: &mut Context) -> JsResult<bool> {
        if let Some(tla) = self.tla.borrow().get(path) {
            return Ok(*tla);
        }
        let packages = Host::of(ctx)?.0.borrow().packages.clone();
        let text = packages.read(path).map_err(|e| resolve_error(&e, ctx))?;
        let tla = text.contains("await") && {
            use boa_engine::ast::operations::{contains, ContainsSymbol};
            let mut interner = boa_engine::interner::Interner::default();
            let scope = boa_engine::ast::scope::Scope::new_global();
            boa_engine::parser::Parser::new(Source::from_bytes(text.trim_start_matches('\u{feff}')))
                .parse_module(&scope, &mut interner)
                .is_ok_and(|module| contains(&module, ContainsSymbol::AwaitExpression))
        };
        self.tla.borrow_mut().insert(path.to_path_buf(), tla);
        Ok(tla)
    }

    /// The ES modules reachable from `root` (itself included), in discovery order.
    fn graph(&self, root: &Path) -> Vec<PathBuf> {
        let edges = self.edges.borrow();
        let mut seen = vec![root.to_path_buf()];
        let mut i = 0;
        while i < seen.len() {
            for (_, next) in edges.get(&seen[i]).map(Vec::as_slice).unwrap_or_default() {
                if !seen.contains(next) {
                    seen.push(next.clone());
                }
            }
            i += 1;
        }
        seen
    }

    /// Runs the loading of `module`'s graph to the end.
    fn load_graph(&self, module: &Module, ctx: &mut Context) -> JsResult<()> {
        let loading = module.load(ctx);
        self.jobs.run_module_loading(ctx)?;
        match loading.state() {
            PromiseState::Fulfilled(_) => Ok(()),
            PromiseState::Rejected(error) => Err(JsError::from_opaque(error)),
            PromiseState::Pending => Err(internal("module loading did not finish")),
        }
    }

    /// `require(path)` of an ES module from `parent` (the requiring file, for messages): Node's
    /// `importSyncForRequire` and the interop of `loadESMFromCJS`.
    fn require(&self, path: &Path, parent: Option<&str>, ctx: &mut Context) -> JsResult<JsValue> {
        let module = self.parse_module(path, ctx)?;
        if !self.evaluated.borrow().contains(path) {
            if self.evaluating.borrow().contains(path) {
                let mut message = format!("Cannot require() ES Module {} in a cycle.", path.display());
                if let Some(parent) = parent {
                    message.push_str(&format!(" (from {parent})"));
                }
                message.push_str(" A cycle involving require(esm) is not allowed to maintain invariants mandated by the ECMAScript specification. Try making at least part of the dependency in the graph lazily loaded.");
                return Err(node_error(false, "ERR_REQUIRE_CYCLE_MODULE", message, &[], ctx));
            }
            self.load_graph(&module, ctx)?;
            module.link(ctx)?;
            let graph = self.graph(path);
            // A module of this graph that an outer `require` is evaluating: Node refuses the
            // import that reaches it (and Boa cannot evaluate a module twice at once).
            for from in &graph {
                let edges = self.edges.borrow().get(from).cloned().unwrap_or_default();
                if let Some((specifier, _)) = edges.iter().find(|(_, to)| self.evaluating.borrow().contains(to)) {
                    let message = format!("Cannot import Module {specifier} in a cycle. (from {})", from.display());
                    return Err(node_error(false, "ERR_REQUIRE_CYCLE_MODULE", message, &[], ctx));
                }
            }
            for member in &graph {
                if self.has_tla(member, ctx)? {
                    let mut message = "require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.".to_string();
                    if let Some(parent) = parent {
                        message.push_str(&format!("\n  From {parent} "));
                    }
                    message.push_str(&format!("\n  Requiring {} ", path.display()));
                    return Err(node_error(false, "ERR_REQUIRE_ASYNC_MODULE", message, &[], ctx));
                }
            }
            let fresh: Vec<PathBuf> = graph.into_iter().filter(|m| !self.evaluated.borrow().contains(m)).collect();
            self.evaluating.borrow_mut().extend(fresh.iter().cloned());
            let result = module.evaluate(ctx);
            for member in &fresh {
                self.evaluating.borrow_mut().remove(member);
            }
            match result?.state() {
                PromiseState::Fulfilled(_) => self.evaluated.borrow_mut().extend(fresh),
                PromiseState::Rejected(error) => return Err(JsError::from_opaque(error)),
                PromiseState::Pending => return Err(internal("a module without top-level await did not finish")),
            }
        }
        let namespace = module.namespace(ctx);
        if namespace.has_own_property(js_string!("module.exports"), ctx)? {
            return namespace.get(js_string!("module.exports"), ctx);
        }
        if !namespace.has_own_property(js_string!("default"), ctx)?
            || namespace.has_own_property(js_string!("__esModule"), ctx)?
        {
            return Ok(namespace.into());
        }
        Ok(self.facade(path, ctx)?.into())
    }

    /// Node's `createRequiredModuleFacade`: a module that re-exports the ES module at `path`
    /// with `__esModule: true` added, so that transpiled CommonJS reading `.default` works.
    fn facade(&self, path: &Path, ctx: &mut Context) -> JsResult<JsObject> {
        if let Some(facade) = self.facades.borrow().get(path) {
            return Ok(facade.namespace(ctx));
        }
        let target = serde_json::to_string(&format!("{FACADE}{}", path.display())).unwrap_or_default();
        let text =
            format!("export * from {target}; export {{ default }} from {target}; export const __esModule = true;");
        let facade = Module::parse(Source::from_bytes(&text), None, ctx)?;
        self.load_graph(&facade, ctx)?;
        facade.link(ctx)?;
        match facade.evaluate(ctx)?.state() {
            PromiseState::Fulfilled(_) => {}
            PromiseState::Rejected(error) => return Err(JsError::from_opaque(error)),
            PromiseState::Pending => return Err(internal("the require facade did not finish")),
        }
        self.facades.borrow_mut().insert(path.to_path_buf(), facade.clone());
        Ok(facade.namespace(ctx))
    }

    /// `import.meta` of an ES module in a package: `dirname`, `filename`, `main` (never the
    /// entry point), `resolve`, `url`, as Node sets them.
    fn fill_import_meta(&self, meta: &JsObject, module: &Module, ctx: &mut Context) -> JsResult<()> {
        let Some(path) = module.path() else { return Ok(()) };
        let dirname = path.parent().unwrap_or(Path::new("/")).display().to_string();
        let file = JsString::from(path.display().to_string());
        meta.set(js_string!("dirname"), JsString::from(dirname), false, ctx)?;
        meta.set(js_string!("filename"), file.clone(), false, ctx)?;
        meta.set(js_string!("main"), false, false, ctx)?;
        let resolve = NativeFunction::from_copy_closure_with_captures(
            |_, args, file: &JsString, ctx| {
                let specifier = arg_string(args, 0, ctx)?;
                let parent = PathBuf::from(file.to_std_string_escaped());
                resolve_for_meta(&specifier, &parent, ctx)
            },
            file,
        )
        .to_js_function(ctx.realm());
        meta.set(js_string!("resolve"), resolve, false, ctx)?;
        meta.set(js_string!("url"), JsString::from(file_url(path)), false, ctx)?;
        Ok(())
    }
}

impl ModuleLoader for Loader {
    fn load_imported_module(
        self: Rc<Self>,
        referrer: Referrer,
        request: ModuleRequest,
        context: &RefCell<&mut Context>,
    ) -> impl std::future::Future<Output = JsResult<Module>> {
        std::future::ready(self.load(&referrer, &request, &mut context.borrow_mut()))
    }

    fn init_import_meta(self: Rc<Self>, import_meta: &JsObject, module: &Module, context: &mut Context) {
        // Defining properties on the fresh `import.meta` object cannot fail.
        let _ = self.fill_import_meta(import_meta, module, context);
    }
}

/// `import.meta.resolve(specifier)`: the URL an import of `specifier` from `parent` loads.
fn resolve_for_meta(specifier: &str, parent: &Path, ctx: &mut Context) -> JsResult<JsValue> {
    let loader = Host::of(ctx)?.0.borrow().esm.clone().ok_or_else(|| internal("no ES module loader"))?;
    if let Some(name) = specifier.strip_prefix("node:") {
        return match loader.builtin(name, ctx)? {
            Some(_) => Ok(JsString::from(specifier).into()),
            None => Err(node_error(
                false,
                "ERR_UNKNOWN_BUILTIN_MODULE",
                format!("No such built-in module: {specifier}"),
                &[],
                ctx,
            )),
        };
    }
    if !specifier.starts_with(['.', '/', '#']) && loader.builtin(specifier, ctx)?.is_some() {
        return Ok(JsString::from(format!("node:{specifier}")).into());
    }
    let packages = Host::of(ctx)?.0.borrow().packages.clone();
    let resolved = packages.resolve_import(specifier, parent).map_err(|e| resolve_error(&e, ctx))?;
    Ok(JsString::from(file_url(&resolved.path)).into())
}

/// Node's checks of import attributes (`validateAttributes`): JSON needs `type: "json"`, and
/// nothing else may have a `type`.
fn check_attributes(request: &ModuleRequest, format: Format, path: &Path, ctx: &mut Context) -> JsResult<()> {
    let url = file_url(path);
    for attribute in request.attributes() {
        let key = attribute.key().to_std_string_escaped();
        if key != "type" {
            let value = attribute.value().to_std_string_escaped();
            return Err(node_error(
                true,
                "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
                format!("Import attribute \"{key}\" with value \"{value}\" is not supported in {url}"),
                &[],
                ctx,
            ));
        }
    }
    let kind = request.get_attribute("type").map(JsString::to_std_string_escaped);
    match (format, kind.as_deref()) {
        (Format::Json, Some("json")) | (Format::Module | Format::CommonJs | Format::Typeless, None) => Ok(()),
        (Format::Json, None) => Err(node_error(
            true,
            "ERR_IMPORT_ATTRIBUTE_MISSING",
            format!("Module \"{url}\" needs an import attribute of \"type: json\""),
            &[],
            ctx,
        )),
        (_, Some("json")) => Err(node_error(
            true,
            "ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE",
            format!("Module \"{url}\" is not of type \"json\""),
            &[],
            ctx,
        )),
        (_, Some(other)) => Err(node_error(
            true,
            "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
            format!("Import attribute \"type\" with value \"{other}\" is not supported in {url}"),
            &[],
            ctx,
        )),
    }
}

/// Whether a `.js` file under no package `type` is an ES module (Node 22's syntax detection):
/// it does not compile as CommonJS but does as an ES module.
pub(crate) fn only_parses_as_module(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    let scope = boa_engine::ast::scope::Scope::new_global();
    let mut interner = boa_engine::interner::Interner::default();
    let wrapper = format!("(function (exports, require, module, __filename, __dirname) {{{text}\n}})");
    if boa_engine::parser::Parser::new(Source::from_bytes(&wrapper)).parse_script(&scope, &mut interner).is_ok() {
        return false;
    }
    boa_engine::parser::Parser::new(Source::from_bytes(text)).parse_module(&scope, &mut interner).is_ok()
}

fn in_node_modules(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "node_modules")
}

/// Node's `pathToFileURL`: `file://` and the path with the characters a URL path cannot hold
/// percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.display().to_string().bytes() {
        match byte {
            b'%' | b' ' | b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'\\' | b'\n' | b'\r' | b'\t' => {
                url.push_str(&format!("%{byte:02X}"));
            }
            byte if !(0x20..0x80).contains(&byte) => url.push_str(&format!("%{byte:02X}")),
            byte => url.push(byte as char),
        }
    }
    url
}

/// The export names of a synthetic module whose `default` is the whole value: `default`, then
/// each name of the JS array `names` except `default`.
fn export_names(names: &JsObject, ctx: &mut Context) -> JsResult<Vec<JsString>> {
    let names = JsArray::from_object(names.clone())?;
    let mut export_names = vec![js_string!("default")];
    for i in 0..names.length(ctx)? {
        let name = names.get(i, ctx)?.to_string(ctx)?;
        if name != js_string!("default") {
            export_names.push(name);
        }
    }
    Ok(export_names)
}

fn internal(message: &str) -> JsError {
    JsNativeError::error().with_message(format!("harness ES module loader: {message}")).into()
}

/// An error as Node's loader throws it: `Error` or `TypeError`, the message, `code`, and other
/// own properties.
pub(crate) fn node_error(
    type_error: bool,
    code: &str,
    message: String,
    properties: &[(&str, String)],
    ctx: &mut Context,
) -> JsError {
    let native = if type_error { JsNativeError::typ() } else { JsNativeError::error() };
    let object = native.with_message(message).into_opaque(ctx);
    // Setting properties on a fresh error object cannot fail.
    for (name, value) in properties {
        let _ = object.set(JsString::from(*name), JsString::from(value.as_str()), false, ctx);
    }
    let _ = object.set(js_string!("code"), JsString::from(code), false, ctx);
    JsError::from_opaque(object.into())
}

fn resolve_error(error: &ResolveError, ctx: &mut Context) -> JsError {
    node_error(error.is_type_error(), error.code(), error.to_string(), &error.properties(), ctx)
}

/// `requireModule(path, parentPath)`: the value `require` returns for the ES module at `path`.
pub(crate) fn require_module(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = PathBuf::from(arg_string(args, 0, ctx)?);
    let parent = match args.get_or_undefined(1) {
        v if v.is_null_or_undefined() => None,
        v => Some(v.to_string(ctx)?.to_std_string_escaped()),
    };
    let loader = Host::of(ctx)?.0.borrow().esm.clone().ok_or_else(|| internal("no ES module loader"))?;
    loader.require(&path, parent.as_deref(), ctx)
}

/// `esmHooks(hooks)`: installs the JS loader's callbacks.
pub(crate) fn esm_hooks(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let hooks = args.get_or_undefined(0).as_object().ok_or_else(|| internal("esmHooks needs an object"))?;
    let loader = Host::of(ctx)?.0.borrow().esm.clone().ok_or_else(|| internal("no ES module loader"))?;
    *loader.hooks.borrow_mut() = Some(hooks);
    Ok(JsValue::undefined())
}

/// `onlyParsesAsModule(path)`: Node's syntax detection for a `.js` file under no `type`.
pub(crate) fn only_parses_as_module_native(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = PathBuf::from(arg_string(args, 0, ctx)?);
    let packages = Host::of(ctx)?.0.borrow().packages.clone();
    let text = packages.read(&path).map_err(|e| resolve_error(&e, ctx))?;
    Ok(only_parses_as_module(&text).into())
}

/// `packageSource(path)`: a package file's text as read (for cjs-module-lexer).
pub(crate) fn package_source(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = PathBuf::from(arg_string(args, 0, ctx)?);
    let packages = Host::of(ctx)?.0.borrow().packages.clone();
    let text = packages.read(&path).map_err(|e| resolve_error(&e, ctx))?;
    Ok(JsString::from(&*text).into())
}
