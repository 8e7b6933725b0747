//! The deploy artifacts written next to the Action: auth0-deploy-cli input (directory and YAML
//! formats), Terraform HCL, and `secrets.example.env`. All come from tera templates in
//! `templates/`, embedded in the binary.
//!
//! Secret values never appear: deploy-cli gets `##NAME##` keyword placeholders, Terraform gets
//! ephemeral variables sent through the provider's write-only `secrets_wo` (never in the state),
//! the env example gets empty values.

use std::path::PathBuf;

const ACTION_JSON: &str = include_str!("../../templates/auth0-deploy-cli/action.json.tera");
const TRIGGERS_JSON: &str = include_str!("../../templates/auth0-deploy-cli/triggers.json.tera");
const TENANT_YAML: &str = include_str!("../../templates/auth0-deploy-cli/tenant.yaml.tera");
const DEPLOY_CLI_README: &str = include_str!("../../templates/auth0-deploy-cli/README.md.tera");
const TERRAFORM: &str = include_str!("../../templates/terraform/action.tf.tera");
const TERRAFORM_VERSIONS: &str = include_str!("../../templates/terraform/versions.tf.tera");
const SECRETS_ENV: &str = include_str!("../../templates/secrets.example.env.tera");

/// One file to write, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path relative to the output directory.
    pub path: PathBuf,
    /// Contents.
    pub contents: String,
}

/// Renders every file of an Action's output directory, the Action itself included.
///
/// # Errors
///
/// A [`tera::Error`] if a template fails (a bug: the templates are fixed at build time).
pub fn render_artifacts(name: &str, secrets: &[String], action_code: &str) -> Result<Vec<Artifact>, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::new());
    let templates = [
        ("action.json", ACTION_JSON),
        ("triggers.json", TRIGGERS_JSON),
        ("tenant.yaml", TENANT_YAML),
        ("README.md", DEPLOY_CLI_README),
        ("action.tf", TERRAFORM),
        ("versions.tf", TERRAFORM_VERSIONS),
        ("secrets.example.env", SECRETS_ENV),
    ];
    for (template_name, text) in templates {
        tera.add_raw_template(template_name, text)?;
    }
    let mut context = tera::Context::new();
    context.insert("name", name);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    context.insert("secrets", secrets);
    context.insert("resource_name", &terraform_name(name));
    let render = |template: &str| tera.render(template, &context);
    let file = |path: String, contents: String| Artifact { path: PathBuf::from(path), contents };
    Ok(vec![
        file(format!("{name}.js"), action_code.to_string()),
        file(format!("auth0-deploy-cli/actions/{name}.json"), render("action.json")?),
        file(format!("auth0-deploy-cli/actions/{name}/code.js"), action_code.to_string()),
        file("auth0-deploy-cli/triggers/triggers.json".into(), render("triggers.json")?),
        file("auth0-deploy-cli/tenant.yaml".into(), render("tenant.yaml")?),
        file("auth0-deploy-cli/README.md".into(), render("README.md")?),
        file(format!("terraform/{name}.tf"), render("action.tf")?),
        file("terraform/versions.tf".into(), render("versions.tf")?),
        file("secrets.example.env".into(), render("secrets.example.env")?),
    ])
}

/// A Terraform resource name for an Action name: lowercase letters, digits and `_`, not starting
/// with a digit.
fn terraform_name(name: &str) -> String {
    let mut out: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifacts(secrets: &[&str]) -> Vec<Artifact> {
        let secrets: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
        render_artifacts("ec-post-login", &secrets, "exports.onExecutePostLogin = async () => {};").unwrap()
    }

    fn find<'a>(all: &'a [Artifact], path: &str) -> &'a str {
        &all.iter().find(|a| a.path == std::path::Path::new(path)).unwrap().contents
    }

    #[test]
    fn deploy_cli_json_is_valid_and_uses_placeholders() {
        let all = artifacts(&["TENANT_DOMAIN", "SERVICE_INIT_LOGIN_URL"]);
        let action: serde_json::Value =
            serde_json::from_str(find(&all, "auth0-deploy-cli/actions/ec-post-login.json")).unwrap();
        assert_eq!(action["code"], "./actions/ec-post-login/code.js");
        assert_eq!(action["secrets"][0]["value"], "##TENANT_DOMAIN##");
        assert_eq!(action["secrets"].as_array().unwrap().len(), 2);
        let triggers: serde_json::Value =
            serde_json::from_str(find(&all, "auth0-deploy-cli/triggers/triggers.json")).unwrap();
        assert_eq!(triggers["post-login"][0]["action_name"], "ec-post-login");
    }

    #[test]
    fn no_secrets_still_valid_json() {
        let all = artifacts(&[]);
        let action: serde_json::Value =
            serde_json::from_str(find(&all, "auth0-deploy-cli/actions/ec-post-login.json")).unwrap();
        assert_eq!(action["secrets"], serde_json::json!([]));
        assert!(find(&all, "auth0-deploy-cli/tenant.yaml").contains("secrets: []"));
    }

    #[test]
    fn terraform_names_and_variables() {
        let all = artifacts(&["TENANT_DOMAIN"]);
        let tf = find(&all, "terraform/ec-post-login.tf");
        assert!(tf.contains("resource \"auth0_action\" \"ec_post_login\""));
        assert!(tf.contains("variable \"tenant_domain\""));
        assert!(tf.contains("value = var.tenant_domain"));
        assert!(tf.contains("secrets_wo_version = var.ec_post_login_secrets_version"));
        assert!(!tf.contains("secrets {"), "secret values never go to the state");
        let none = artifacts(&[]);
        let tf = find(&none, "terraform/ec-post-login.tf");
        assert!(!tf.contains("secrets_wo"), "secrets_wo_version needs secrets_wo and the reverse: {tf}");
        assert_eq!(terraform_name("9lives"), "_9lives");
    }

    #[test]
    fn env_example_lists_names_without_values() {
        let all = artifacts(&["TENANT_DOMAIN"]);
        assert!(find(&all, "secrets.example.env").contains("\nTENANT_DOMAIN=\n"));
    }
}
