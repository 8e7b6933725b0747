//! The JUnit XML report of `actionkit test --junit FILE` (quick-junit), the format CI systems
//! (GitLab, Jenkins, GitHub reporters) read: one suite per project, a failure for a test whose
//! outcome differs, an error for one that could not run, the full diff as the failure's text and
//! the defining file as the case's `file`.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::suite::{CaseKind, CaseResult, CaseStatus};

/// The report of one suite run, started at `started`.
pub fn report(suite: &str, results: &[CaseResult], started: chrono::DateTime<chrono::FixedOffset>) -> Report {
    let mut test_suite = TestSuite::new(suite);
    test_suite.set_timestamp(started);
    let mut total = Duration::ZERO;
    for result in results {
        let time = Duration::from_secs_f64(result.millis.max(0.0) / 1000.0);
        total += time;
        let mut status = match result.status {
            CaseStatus::Passed => TestCaseStatus::success(),
            CaseStatus::Failed | CaseStatus::New => TestCaseStatus::non_success(NonSuccessKind::Failure),
            CaseStatus::Errored => TestCaseStatus::non_success(NonSuccessKind::Error),
            CaseStatus::Orphaned => TestCaseStatus::skipped(),
        };
        if let Some(failure) = &result.failure {
            let first = failure.lines().next().unwrap_or("failed");
            status.set_message(format!("{}: {first}", result.status.word()));
            status.set_description(failure.as_str());
            status.set_type(result.status.word());
        }
        let mut case = TestCase::new(result.name.as_str(), status);
        case.set_classname(match result.kind {
            CaseKind::Inline => format!("{suite}.policy"),
            CaseKind::Fixture => format!("{suite}.fixtures"),
        });
        case.set_time(time);
        case.extra.insert("file".into(), result.file.display().to_string().into());
        test_suite.add_test_case(case);
    }
    test_suite.set_time(total);
    let mut report = Report::new(suite);
    report.set_timestamp(started).set_time(total).add_test_suite(test_suite);
    report
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn case(name: &str, status: CaseStatus, failure: Option<&str>) -> CaseResult {
        CaseResult {
            name: name.into(),
            kind: CaseKind::Fixture,
            status,
            summary: String::new(),
            failure: failure.map(str::to_string),
            file: PathBuf::from(format!("fixtures/{name}")),
            millis: 1.5,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn failures_errors_files_and_timestamps() {
        let started = chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00+00:00").unwrap();
        let results = [
            case("admin.json", CaseStatus::Passed, None),
            case("a<b>&\"c\".json", CaseStatus::Failed, Some("the outcome changed:\n-x\n+y")),
            case("bad.json", CaseStatus::Errored, Some("bad fixture: expected value at line 1")),
        ];
        let xml = report("ec", &results, started).to_string().unwrap();
        assert!(xml.contains(r#"tests="3" failures="1" errors="1""#), "{xml}");
        assert!(xml.contains(r#"name="a&lt;b&gt;&amp;&quot;c&quot;.json""#), "{xml}");
        assert!(xml.contains("-x\n+y"), "the full diff is the failure's text: {xml}");
        assert!(xml.contains(r#"<error message="ERROR: bad fixture: expected value at line 1""#), "{xml}");
        assert!(xml.contains(r#"file="fixtures/admin.json""#), "{xml}");
        assert!(xml.contains(r#"timestamp="2026-12-03T10:00:00"#), "{xml}");
    }
}
