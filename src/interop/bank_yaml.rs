//! Writing a question bank file (quizzes/*.yaml) in the format of
//! docs/format.md: the keys in the documented order, only those that say
//! something, strings quoted by the YAML library wherever YAML needs it.

use serde::Serialize;

/// A bank as written to its file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BankFile {
    pub chapter: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_scoring: Option<String>,
    pub questions: Vec<QuestionFile>,
}

/// One question as written. `answer` holds what the type takes: a letter,
/// a list of letters, a boolean, or one entry per blank.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct QuestionFile {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prompt: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<serde_yaml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
}

/// An option: its text alone, or with feedback.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum OptionFile {
    Text(String),
    WithFeedback { text: String, feedback: String },
}

/// The bank as YAML text, after a comment saying where it came from.
pub fn to_yaml(bank: &BankFile, header: &str) -> String {
    let body = serde_yaml::to_string(bank).unwrap_or_default();
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    // A blank line between questions, as the shipped banks are written.
    for line in body.lines() {
        if line.starts_with("- id:") {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_documented_keys_only() {
        let bank = BankFile {
            chapter: "intro".into(),
            title: "Quiz: one".into(),
            multiple_scoring: None,
            questions: vec![QuestionFile {
                id: "q1".into(),
                kind: "single".into(),
                prompt: "Which #1?".into(),
                options: vec![
                    OptionFile::Text("yes".into()),
                    OptionFile::WithFeedback {
                        text: "no".into(),
                        feedback: "Not so.".into(),
                    },
                ],
                answer: Some(serde_yaml::Value::String("A".into())),
                ..Default::default()
            }],
        };
        let text = to_yaml(&bank, "from test.gift");
        assert!(text.starts_with("# from test.gift\nchapter: intro\ntitle: 'Quiz: one'\nquestions:\n\n- id: q1\n  type: single\n"), "{text}");
        assert!(
            text.contains("  - text: 'no'\n    feedback: Not so.\n")
                || text.contains("  - text: no\n"),
            "{text}"
        );
        let back: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(
            back["questions"][0]["answer"],
            serde_yaml::Value::String("A".into())
        );
        assert_eq!(
            back["questions"][0]["options"][1]["text"],
            serde_yaml::Value::String("no".into())
        );
    }
}
