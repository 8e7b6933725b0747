//! The generated auth0-deploy-cli directory format, checked against deploy-cli's own schema for
//! actions (`tests/data/auth0-deploy-cli-actions-schema.json`, transcribed from its source) and
//! its directory layout: `actions/NAME.json` whose `code` names `./actions/NAME/code.js`, and
//! `triggers/triggers.json` mapping a trigger id to `{action_name, display_name}` items.

use serde_json::Value;

/// Problems of `value` against a JSON-schema subset (type, required, additionalProperties,
/// properties, items): what deploy-cli's ajv would refuse.
fn validate(value: &Value, schema: &Value, path: &str, errors: &mut Vec<String>) {
    let fits = match schema["type"].as_str() {
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !fits {
        errors.push(format!("{path}: not a {}", schema["type"]));
        return;
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item, schema, &format!("{path}[{i}]"), errors);
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(required.as_str().unwrap()) {
                errors.push(format!("{path}: `{}` is required", required.as_str().unwrap_or_default()));
            }
        }
        let properties = schema["properties"].as_object();
        for (key, item) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(schema) => validate(item, schema, &format!("{path}.{key}"), errors),
                None if schema["additionalProperties"] == false => {
                    errors.push(format!("{path}: `{key}` is not allowed"))
                }
                None => {}
            }
        }
    }
}

fn schema() -> Value {
    serde_json::from_str(include_str!("data/auth0-deploy-cli-actions-schema.json")).unwrap()
}

#[test]
fn the_directory_format_is_what_deploy_cli_reads() {
    for secrets in [vec!["TENANT_DOMAIN".to_string(), "SERVICE_INIT_LOGIN_URL".to_string()], vec![]] {
        let artifacts = codegen::artifacts::render_artifacts("ec-post-login", &secrets, "exports.x = 1;").unwrap();
        let file = |path: &str| {
            artifacts
                .iter()
                .find(|a| a.path == std::path::Path::new(path))
                .unwrap_or_else(|| panic!("{path}"))
                .contents
                .clone()
        };
        let action: Value = serde_json::from_str(&file("auth0-deploy-cli/actions/ec-post-login.json")).unwrap();
        let mut errors = Vec::new();
        validate(&Value::Array(vec![action.clone()]), &schema(), "actions", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        // deploy-cli's directory handler reads the code from the path in `code`, relative to the
        // directory root.
        let code = action["code"].as_str().unwrap().trim_start_matches("./");
        assert_eq!(file(&format!("auth0-deploy-cli/{code}")), "exports.x = 1;");
        assert_eq!(action["secrets"].as_array().unwrap().len(), secrets.len());
        let triggers: Value = serde_json::from_str(&file("auth0-deploy-cli/triggers/triggers.json")).unwrap();
        let bound = triggers["post-login"].as_array().unwrap();
        assert!(bound.iter().all(|b| b["action_name"] == "ec-post-login" && b["display_name"].is_string()));
    }
}

#[test]
fn the_check_refuses_what_deploy_cli_refuses() {
    let bad = serde_json::json!([{ "name": "a", "code": "x", "supported_triggers": [], "secret": [] }]);
    let mut errors = Vec::new();
    validate(&bad, &schema(), "actions", &mut errors);
    assert!(errors.iter().any(|e| e.contains("`secret` is not allowed")), "{errors:?}");
    let missing = serde_json::json!([{ "name": "a", "code": "x" }]);
    let mut errors = Vec::new();
    validate(&missing, &schema(), "actions", &mut errors);
    assert!(errors.iter().any(|e| e.contains("`supported_triggers` is required")), "{errors:?}");
}
