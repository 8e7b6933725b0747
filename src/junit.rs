//! A minimal JUnit XML report, the format CI systems (GitLab, Jenkins, GitHub reporters) read.

use std::fmt::Write;

/// One test case.
#[derive(Debug)]
pub struct JunitCase<'a> {
    /// The test's name.
    pub name: &'a str,
    /// How long it took.
    pub millis: f64,
    /// The failure text, if it failed.
    pub failure: Option<&'a str>,
}

/// A report with one test suite.
#[derive(Debug)]
pub struct JunitReport<'a> {
    /// The suite's name (the Action name).
    pub suite: &'a str,
    /// The cases, in run order.
    pub cases: Vec<JunitCase<'a>>,
}

impl JunitReport<'_> {
    /// The report as XML.
    pub fn to_xml(&self) -> String {
        let failures = self.cases.iter().filter(|c| c.failure.is_some()).count();
        let seconds: f64 = self.cases.iter().map(|c| c.millis).sum::<f64>() / 1000.0;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites tests=\"{n}\" failures=\"{failures}\" time=\"{seconds:.3}\">\n  <testsuite name=\"{name}\" tests=\"{n}\" failures=\"{failures}\" time=\"{seconds:.3}\">",
            n = self.cases.len(),
            name = escape(self.suite),
        );
        for case in &self.cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                escape(self.suite),
                escape(case.name),
                case.millis / 1000.0
            );
            match case.failure {
                None => out.push_str("/>\n"),
                Some(text) => {
                    let first = text.lines().next().unwrap_or("failed");
                    let _ = write!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                        escape(first),
                        escape(text)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_counts() {
        let report = JunitReport {
            suite: "ec",
            cases: vec![
                JunitCase { name: "admin.json", millis: 1.5, failure: None },
                JunitCase { name: "a<b>&\"c\"", millis: 0.0, failure: Some("changed\n-x\n+y\u{1}") },
            ],
        };
        let xml = report.to_xml();
        assert!(xml.contains("tests=\"2\" failures=\"1\""));
        assert!(xml.contains("name=\"a&lt;b&gt;&amp;&quot;c&quot;\""));
        assert!(xml.contains("<failure message=\"changed\">changed\n-x\n+y\u{fffd}</failure>"));
        assert!(xml.contains("<testcase classname=\"ec\" name=\"admin.json\" time=\"0.002\"/>"));
    }
}
