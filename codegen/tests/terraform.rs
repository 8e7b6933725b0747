//! The generated Terraform as the real tools read it: parsed as HCL and checked against the
//! auth0/auth0 provider's schema (`tests/data/terraform-provider-auth0-schema.json`, see the
//! README there), the way `terraform validate` would: known resources, attributes and blocks,
//! required ones present, block counts, value types, the provider's own cross-field rules, and
//! Terraform's rule that an ephemeral value may only go to a write-only argument.

use std::collections::{BTreeMap, BTreeSet};

use hcl::{Block, Body, Expression};
use serde_json::Value;

fn schema() -> Value {
    let text = include_str!("data/terraform-provider-auth0-schema.json");
    let schema: Value = serde_json::from_str(text).unwrap();
    schema["provider_schemas"]["registry.terraform.io/auth0/auth0"]["resource_schemas"].clone()
}

/// The generated `.tf` files of an Action with `secrets`, parsed.
fn generated(secrets: &[&str]) -> Vec<(String, Body)> {
    let secrets: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
    let artifacts =
        codegen::artifacts::render_artifacts("ec-post-login", &secrets, "exports.onExecutePostLogin = async () => {};")
            .unwrap();
    artifacts
        .into_iter()
        .filter(|a| a.path.extension().is_some_and(|e| e == "tf"))
        .map(|a| {
            let body = hcl::parse(&a.contents).unwrap_or_else(|e| panic!("{}: {e}\n{}", a.path.display(), a.contents));
            (a.path.display().to_string(), body)
        })
        .collect()
}

/// Every `var.NAME` an expression reads.
fn variables_read(expr: &Expression, out: &mut BTreeSet<String>) {
    match expr {
        Expression::Traversal(traversal) => {
            if let (Expression::Variable(root), Some(hcl::TraversalOperator::GetAttr(name))) =
                (&traversal.expr, traversal.operators.first())
            {
                if root.as_str() == "var" {
                    out.insert(name.to_string());
                }
            }
            variables_read(&traversal.expr, out);
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|arg| variables_read(arg, out)),
        Expression::Array(items) => items.iter().for_each(|item| variables_read(item, out)),
        Expression::Object(object) => object.values().for_each(|value| variables_read(value, out)),
        Expression::TemplateExpr(template) => {
            // `"${var.x}"`: the interpolations are expressions too.
            let text = template.to_string();
            for part in text.split("${").skip(1) {
                let inner = part.split('}').next().unwrap_or_default();
                if let Some(name) = inner.trim().strip_prefix("var.") {
                    out.insert(name.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_string());
                }
            }
        }
        _ => {}
    }
}

/// Whether `expr` can produce a value of the schema type `ty` (literals are checked; references
/// and calls are taken as producing the right type, as Terraform converts them at plan time).
fn fits(expr: &Expression, ty: &str) -> bool {
    match expr {
        Expression::String(_) | Expression::TemplateExpr(_) => ty == "string",
        Expression::Number(_) => ty == "number",
        Expression::Bool(_) => ty == "bool",
        Expression::Null => true,
        _ => true,
    }
}

/// Checks a resource body against its schema block; problems go to `errors`. Records which
/// variables each attribute reads, with whether that attribute is write-only.
fn check_block(
    path: &str,
    body: &Body,
    schema: &Value,
    reads: &mut Vec<(String, String, bool)>,
    errors: &mut Vec<String>,
) {
    let attributes = schema["attributes"].as_object().cloned().unwrap_or_default();
    let block_types = schema["block_types"].as_object().cloned().unwrap_or_default();
    let mut seen = BTreeSet::new();
    for attribute in body.attributes() {
        let key = attribute.key.as_str();
        seen.insert(key.to_string());
        let Some(spec) = attributes.get(key) else {
            errors.push(format!("{path}: unsupported argument `{key}`"));
            continue;
        };
        if spec["computed"] == true && spec["optional"] != true && spec["required"] != true {
            errors.push(format!("{path}: `{key}` is computed, it cannot be set"));
        }
        let ty = spec["type"].as_str().unwrap_or_default();
        if !fits(&attribute.expr, ty) {
            errors.push(format!("{path}: `{key}` must be a {ty}"));
        }
        let mut vars = BTreeSet::new();
        variables_read(&attribute.expr, &mut vars);
        for var in vars {
            reads.push((format!("{path}.{key}"), var, spec["write_only"] == true));
        }
    }
    for (name, spec) in &attributes {
        if spec["required"] == true && !seen.contains(name) {
            errors.push(format!("{path}: the argument `{name}` is required"));
        }
    }
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for block in body.blocks() {
        let name = block.identifier.as_str();
        let Some(spec) = block_types.get(name) else {
            errors.push(format!("{path}: unsupported block `{name}`"));
            continue;
        };
        *counts.entry(name.to_string()).or_default() += 1;
        check_block(&format!("{path}.{name}"), &block.body, &spec["block"], reads, errors);
    }
    for (name, spec) in &block_types {
        let count = counts.get(name).copied().unwrap_or(0);
        if let Some(min) = spec["min_items"].as_u64() {
            if count < min {
                errors.push(format!("{path}: at least {min} `{name}` block(s) required, found {count}"));
            }
        }
        if let Some(max) = spec["max_items"].as_u64() {
            if count > max {
                errors.push(format!("{path}: at most {max} `{name}` block(s) allowed, found {count}"));
            }
        }
    }
}

fn label(block: &Block, i: usize) -> String {
    block.labels.get(i).map(|l| l.as_str().to_string()).unwrap_or_default()
}

/// `terraform validate`, offline: every problem found in the generated files.
fn validate(files: &[(String, Body)]) -> Vec<String> {
    let schemas = schema();
    let mut errors = Vec::new();
    let mut reads = Vec::new();
    let mut variables: BTreeMap<String, bool> = BTreeMap::new();
    let mut providers = Vec::new();
    for (file, body) in files {
        for block in body.blocks() {
            match block.identifier.as_str() {
                "variable" => {
                    let ephemeral = block
                        .body
                        .attributes()
                        .any(|a| a.key.as_str() == "ephemeral" && a.expr == Expression::Bool(true));
                    variables.insert(label(block, 0), ephemeral);
                }
                "terraform" => providers.push((file.clone(), block.body.clone())),
                "resource" => {
                    let (kind, name) = (label(block, 0), label(block, 1));
                    let path = format!("{file}: {kind}.{name}");
                    match schemas.get(&kind) {
                        Some(schema) => check_block(&path, &block.body, &schema["block"], &mut reads, &mut errors),
                        None => errors.push(format!("{path}: the auth0 provider has no resource `{kind}`")),
                    }
                    if kind == "auth0_action" {
                        provider_rules(&path, &block.body, &mut errors);
                    }
                }
                other => errors.push(format!("{file}: unexpected top-level block `{other}`")),
            }
        }
    }
    for (attribute, var, write_only) in &reads {
        match variables.get(var) {
            None => errors.push(format!("{attribute}: reads undeclared variable `{var}`")),
            // Terraform: "Ephemeral values are not valid in resource arguments, because resource
            // instances must persist between Terraform phases" (all but write-only ones).
            Some(true) if !write_only => {
                errors.push(format!("{attribute}: ephemeral `var.{var}` outside a write-only argument"))
            }
            _ => {}
        }
    }
    if providers.is_empty() {
        errors.push("no `terraform` block: `terraform init` would look for hashicorp/auth0".into());
    }
    for (file, body) in &providers {
        check_terraform_block(file, body, &mut errors);
    }
    errors
}

/// The provider's rules the schema JSON cannot express (internal/auth0/action/resource.go).
fn provider_rules(path: &str, body: &Body, errors: &mut Vec<String>) {
    let has_block = |name: &str| body.blocks().any(|b| b.identifier.as_str() == name);
    let has_attribute = |name: &str| body.attributes().any(|a| a.key.as_str() == name);
    // "secrets": ConflictsWith: []string{"secrets_wo"}
    if has_block("secrets") && has_block("secrets_wo") {
        errors.push(format!("{path}: `secrets` conflicts with `secrets_wo`"));
    }
    // "secrets_wo": RequiredWith: []string{"secrets_wo_version"}, and the reverse.
    if has_block("secrets_wo") != has_attribute("secrets_wo_version") {
        errors.push(format!("{path}: `secrets_wo` and `secrets_wo_version` go together"));
    }
    // "runtime": validation.StringInSlice(node12, node16, node18, node22)
    if let Some(runtime) = body.attributes().find(|a| a.key.as_str() == "runtime") {
        if !matches!(&runtime.expr, Expression::String(s) if ["node12", "node16", "node18", "node22"].contains(&s.as_str()))
        {
            errors.push(format!("{path}: runtime must be one of node12, node16, node18, node22"));
        }
    }
}

/// The lowest version a `>= X` constraint allows, as numbers.
fn lower_bound(constraint: &str) -> Option<Vec<u64>> {
    constraint
        .split(',')
        .map(str::trim)
        .find_map(|part| part.strip_prefix(">="))
        .map(|v| v.trim().split('.').map(|n| n.parse::<u64>().unwrap_or(0)).collect())
}

fn check_terraform_block(file: &str, body: &Body, errors: &mut Vec<String>) {
    let string_attribute = |body: &Body, key: &str| {
        body.attributes().find(|a| a.key.as_str() == key).and_then(|a| match &a.expr {
            Expression::String(s) => Some(s.clone()),
            _ => None,
        })
    };
    // Write-only arguments and ephemeral variables: Terraform 1.11.
    match string_attribute(body, "required_version").as_deref().and_then(lower_bound) {
        Some(v) if v >= vec![1, 11] => {}
        other => errors.push(format!(
            "{file}: required_version must demand Terraform >= 1.11 (write-only arguments), got {other:?}"
        )),
    }
    let Some(providers) = body.blocks().find(|b| b.identifier.as_str() == "required_providers") else {
        errors.push(format!("{file}: no required_providers"));
        return;
    };
    let Some(auth0) = providers.body.attributes().find(|a| a.key.as_str() == "auth0") else {
        errors.push(format!("{file}: required_providers has no `auth0`"));
        return;
    };
    let Expression::Object(object) = &auth0.expr else {
        errors.push(format!("{file}: required_providers.auth0 must be an object"));
        return;
    };
    let field = |name: &str| {
        object.iter().find(|(k, _)| k.to_string().trim_matches('"') == name).and_then(|(_, v)| match v {
            Expression::String(s) => Some(s.clone()),
            _ => None,
        })
    };
    if field("source").as_deref() != Some("auth0/auth0") {
        errors.push(format!("{file}: the provider's source must be `auth0/auth0`, got {:?}", field("source")));
    }
    // secrets_wo: provider 1.52.0 (CHANGELOG).
    match field("version").as_deref().and_then(lower_bound) {
        Some(v) if v >= vec![1, 52, 0] => {}
        other => {
            errors.push(format!("{file}: the auth0 provider version must be >= 1.52.0 (secrets_wo), got {other:?}"))
        }
    }
}

#[test]
fn generated_terraform_validates_against_the_provider_schema() {
    for secrets in [&["TENANT_DOMAIN", "SERVICE_INIT_LOGIN_URL"][..], &[]] {
        let files = generated(secrets);
        assert_eq!(files.len(), 2, "the resources and versions.tf");
        let errors = validate(&files);
        assert!(errors.is_empty(), "{secrets:?}:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_check_catches_what_terraform_would_refuse() {
    // The same check on the Terraform actionkit wrote before, and on other mistakes: each must
    // be found, or the check above proves nothing.
    let old = r#"
variable "tenant_domain" {
  type      = string
  sensitive = true
}
resource "auth0_action" "ec" {
  name    = "ec"
  runtime = "node22"
  deploy  = true
  code    = "x"
  supported_triggers {
    id      = "post-login"
    version = "v3"
  }
  secrets {
    name  = "TENANT_DOMAIN"
    value = var.tenant_domain
  }
}
"#;
    let errors = validate(&[("old.tf".into(), hcl::parse(old).unwrap())]);
    assert!(errors.iter().any(|e| e.contains("hashicorp/auth0")), "{errors:?}");

    let cases = [
        ("resource \"auth0_action\" \"a\" {\n  name = \"a\"\n  code = \"x\"\n}\n", "at least 1 `supported_triggers`"),
        ("resource \"auth0_action\" \"a\" {\n  name = \"a\"\n  code = \"x\"\n  version_id = \"v\"\n  supported_triggers {\n    id = \"post-login\"\n    version = \"v3\"\n  }\n}\n", "computed"),
        ("resource \"auth0_action\" \"a\" {\n  name = \"a\"\n  code = \"x\"\n  runtime = \"node20\"\n  supported_triggers {\n    id = \"post-login\"\n    version = \"v3\"\n  }\n}\n", "runtime must be"),
        ("resource \"auth0_action\" \"a\" {\n  name = \"a\"\n  code = \"x\"\n  supported_triggers {\n    id = \"post-login\"\n    version = \"v3\"\n  }\n  secrets_wo {\n    name = \"A\"\n    value = \"b\"\n  }\n}\n", "go together"),
        ("variable \"s\" {\n  ephemeral = true\n}\nresource \"auth0_action\" \"a\" {\n  name = var.s\n  code = \"x\"\n  supported_triggers {\n    id = \"post-login\"\n    version = \"v3\"\n  }\n}\n", "ephemeral `var.s` outside a write-only"),
        ("resource \"auth0_trigger_actions\" \"t\" {\n  trigger = \"post-login\"\n  action {\n    id = \"x\"\n  }\n}\n", "unsupported block `action`"),
        ("terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    auth0 = {\n      source = \"auth0/auth0\"\n      version = \">= 1.0.0\"\n    }\n  }\n}\n", "1.52.0"),
    ];
    for (text, expected) in cases {
        let errors = validate(&[("case.tf".into(), hcl::parse(text).unwrap())]);
        assert!(errors.iter().any(|e| e.contains(expected)), "expected `{expected}` in {errors:?} for\n{text}");
    }
}

#[test]
fn terraform_fmt_accepts_the_generated_files_when_terraform_is_installed() {
    // The real tool, where it exists (it needs no provider for `fmt`); CI machines without it
    // rely on the schema check above.
    let Ok(output) = std::process::Command::new("terraform").arg("version").output() else {
        eprintln!("terraform is not installed: skipping `terraform fmt -check`");
        return;
    };
    assert!(output.status.success());
    let dir = tempfile::tempdir().unwrap();
    let artifacts = codegen::artifacts::render_artifacts("ec-post-login", &["TENANT_DOMAIN".into()], "x").unwrap();
    for artifact in artifacts.iter().filter(|a| a.path.extension().is_some_and(|e| e == "tf")) {
        std::fs::write(dir.path().join(artifact.path.file_name().unwrap()), &artifact.contents).unwrap();
    }
    let fmt = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-no-color"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(fmt.status.success(), "{}{}", String::from_utf8_lossy(&fmt.stdout), String::from_utf8_lossy(&fmt.stderr));
}
