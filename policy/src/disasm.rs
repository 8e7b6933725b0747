//! A readable listing of a compiled policy: what `actionkit explain --ir` prints and what the
//! lowering snapshots record. Expressions are shown in fully parenthesised CEL-like syntax with
//! comprehension variables as `%slot`, so the tree shape (and every slot) is visible.

use std::fmt::Write;

use action_core::domains::DEFAULT_BLOCKED_DOMAINS;
use action_core::ir::{self, BinOp, Expr, OnInvalidDomain, Policy, Quantifier, UnOp};

/// Disassembles a policy.
pub fn disassemble(p: &Policy) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "policy (ir v{})", action_core::ir::IR_VERSION);
    let _ = writeln!(
        out,
        "  gate     {} == {:?}",
        match p.gate.field {
            action_core::ir::GateField::ResourceServer => "resource_server.identifier",
            action_core::ir::GateField::AudienceQuery => "request.query.audience",
        },
        p.gate.api_identifier
    );
    let _ = writeln!(out, "  paths    {}", list(&p.paths));
    let _ = writeln!(out, "  secrets  {}", list(&p.secrets));
    if let Some(sp) = &p.sp_claims {
        let _ = writeln!(
            out,
            "  sp_claims metadata_key={:?} tenant_domain_secret={:?} init_login_secret={:?} message={:?}",
            sp.metadata_key, sp.tenant_domain_secret, sp.init_login_secret, sp.missing_data_message
        );
    }
    if let Some(d) = &p.domain_aliases {
        let extra: Vec<String> =
            d.blocked.iter().filter(|b| !DEFAULT_BLOCKED_DOMAINS.contains(&b.as_str())).cloned().collect();
        let defaults = d.blocked.len() - extra.len();
        let _ = writeln!(
            out,
            "  domain_aliases metadata_key={:?} claim={:?} on_invalid={} deny_message={:?} blocked={} default + [{}]",
            d.metadata_key,
            d.claim,
            match d.on_invalid {
                OnInvalidDomain::Drop => "drop",
                OnInvalidDomain::Deny => "deny",
            },
            d.deny_message,
            defaults,
            extra.join(", ")
        );
    }
    if let Some(s) = &p.scopes {
        let _ = writeln!(out, "  scopes   deny_message={:?}", s.deny_message);
    }
    if let Some(m) = &p.mfa {
        let _ = writeln!(
            out,
            "  mfa      when={} provider={} challenge=[{}] webauthn_platform={}",
            m.when.as_ref().map_or("always".to_string(), expr),
            m.provider.as_deref().unwrap_or("(skip)"),
            m.challenge.join(", "),
            m.webauthn_platform
        );
    }
    for r in &p.rules {
        let _ = writeln!(out, "rule {}", r.id);
        let _ = writeln!(out, "  when     {}", expr(&r.when));
        if !r.grant.is_empty() {
            let _ = writeln!(out, "  grant    {}", r.grant.join(", "));
        }
        if !r.forbid.is_empty() {
            let _ = writeln!(out, "  forbid   {}", r.forbid.join(", "));
        }
        match &r.deny {
            Some(ir::DenyReason::Text(text)) => {
                let _ = writeln!(out, "  deny     {text:?}");
            }
            Some(ir::DenyReason::Computed(reason)) => {
                let _ = writeln!(out, "  deny     {}", expr(reason));
            }
            None => {}
        }
        if r.on_error == ir::OnError::Skip {
            let _ = writeln!(out, "  on_error skip");
        }
        if r.mfa {
            let _ = writeln!(out, "  mfa      required");
        }
        for c in &r.claims {
            let _ = writeln!(out, "  claim    {} {:?} = {}", c.tokens.as_str(), c.name, expr(&c.value));
        }
    }
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// One expression in CEL-like syntax.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::Lit(v) => v.to_json(),
        Expr::Root => "$".into(),
        Expr::DomainAliases => "domain_aliases".into(),
        Expr::Var(slot) => format!("%{slot}"),
        Expr::List(items) => format!("[{}]", items.iter().map(expr).collect::<Vec<_>>().join(", ")),
        Expr::Map(entries) => {
            format!("{{{}}}", entries.iter().map(|(k, v)| format!("{k:?}: {}", expr(v))).collect::<Vec<_>>().join(", "))
        }
        Expr::Select(target, field) => match **target {
            Expr::Root => field.clone(),
            _ => format!("{}.{field}", expr(target)),
        },
        Expr::Has(target, field) => match **target {
            Expr::Root => format!("has({field})"),
            _ => format!("has({}.{field})", expr(target)),
        },
        Expr::Typed(read, ty) => {
            let mut declared = String::new();
            ty.write(&mut declared);
            format!("({}: {declared})", expr(read))
        }
        Expr::Index(target, key) => format!("{}[{}]", expr(target), expr(key)),
        Expr::Unary(op, a) => match op {
            UnOp::Not => format!("!{}", expr(a)),
            UnOp::Neg => format!("-{}", expr(a)),
            UnOp::Size => format!("size({})", expr(a)),
            UnOp::LowerAscii | UnOp::Trim | UnOp::EmailDomain => format!("{}.{}()", expr(a), op.name()),
        },
        Expr::Binary(op, a, b) => {
            let symbol = match op {
                BinOp::Eq => "==",
                BinOp::Ne => "!=",
                BinOp::Lt => "<",
                BinOp::Le => "<=",
                BinOp::Gt => ">",
                BinOp::Ge => ">=",
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::Mod => "%",
                BinOp::In => "in",
                BinOp::StartsWith | BinOp::EndsWith | BinOp::Contains | BinOp::Split => {
                    return format!("{}.{}({})", expr(a), op.name(), expr(b));
                }
            };
            format!("({} {symbol} {})", expr(a), expr(b))
        }
        Expr::And(a, b) => format!("({} && {})", expr(a), expr(b)),
        Expr::Or(a, b) => format!("({} || {})", expr(a), expr(b)),
        Expr::Cond(c, a, b) => format!("({} ? {} : {})", expr(c), expr(a), expr(b)),
        Expr::Quantified { quantifier, range, slot, predicate } => format!(
            "{}.{}(%{slot}, {})",
            expr(range),
            match quantifier {
                Quantifier::Exists => "exists",
                Quantifier::All => "all",
            },
            expr(predicate)
        ),
    }
}
