//! Question banks and exams as plain, validated data.
//!
//! Nothing here touches the file system or the YAML text: `load` and
//! `validate` build these values, `exam` draws papers from them and `page`
//! renders them.

use std::path::PathBuf;

use serde::Serialize;

/// The six question types, named as Chinese question banks name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// 单选题
    Single,
    /// 多选题
    Multiple,
    /// 判断题
    TrueFalse,
    /// 填空题
    Fill,
    /// 简答题
    Short,
    /// 案例分析题
    Case,
    /// 计算题: a number, right within a tolerance or a range.
    Numerical,
}

impl QuestionType {
    pub const ALL: [QuestionType; 7] = [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
        QuestionType::Fill,
        QuestionType::Short,
        QuestionType::Case,
        QuestionType::Numerical,
    ];

    /// The name written in YAML (`type: true_false`).
    pub fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "true_false",
            QuestionType::Fill => "fill",
            QuestionType::Short => "short",
            QuestionType::Case => "case",
            QuestionType::Numerical => "numerical",
        }
    }

    pub fn from_name(name: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Points a question of this type is worth when the bank does not say.
    pub fn default_points(self) -> f64 {
        match self {
            QuestionType::Short | QuestionType::Case => 5.0,
            _ => 1.0,
        }
    }

    /// Whether grading is automatic (objective) or proposed and confirmed by the learner.
    pub fn is_objective(self) -> bool {
        !matches!(self, QuestionType::Short | QuestionType::Case)
    }
}

/// How a `multiple` question earns points (多选题评分规则).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MultipleScoring {
    /// Full points only for exactly the right set.
    #[default]
    AllOrNothing,
    /// Each correct option picked earns its share; any wrong pick scores 0.
    PerOption,
    /// The right set earns full points, an incomplete one with no wrong pick half (少选得一半).
    Partial,
}

impl MultipleScoring {
    pub const NAMES: [&'static str; 3] = ["all_or_nothing", "per_option", "partial"];

    pub fn from_name(name: &str) -> Option<MultipleScoring> {
        match name {
            "all_or_nothing" => Some(MultipleScoring::AllOrNothing),
            "per_option" => Some(MultipleScoring::PerOption),
            "partial" => Some(MultipleScoring::Partial),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const NAMES: [&'static str; 3] = ["easy", "medium", "hard"];

    pub fn from_name(name: &str) -> Option<Difficulty> {
        match name {
            "easy" => Some(Difficulty::Easy),
            "medium" => Some(Difficulty::Medium),
            "hard" => Some(Difficulty::Hard),
            _ => None,
        }
    }
}

/// An option of a `single` or `multiple` question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// Markdown (inline).
    pub text: String,
    /// Stays in place when options are shuffled ("以上都对").
    pub pin: bool,
    /// Markdown shown when the learner picks this option.
    pub feedback: Option<String>,
}

/// A scoring point (答题要点) of a `short` or `case` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyPoint {
    pub text: String,
    /// Words that also count as covering the point.
    pub synonyms: Vec<String>,
    pub weight: f64,
}

/// What a free-text answer is graded against: its key points, and the weight
/// that already earns full marks ("any 4 of 6 points").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rubric {
    pub key_points: Vec<KeyPoint>,
    pub cap: Option<f64>,
    /// Markdown model answer.
    pub reference: Option<String>,
}

impl Rubric {
    /// The key-point weight that earns full marks.
    pub fn full_weight(&self) -> f64 {
        let total: f64 = self.key_points.iter().map(|k| k.weight).sum();
        match self.cap {
            Some(cap) if cap < total => cap,
            _ => total,
        }
    }
}

/// A sub-question of a `case` question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CasePart {
    /// Markdown.
    pub prompt: String,
    pub points: f64,
    pub rubric: Rubric,
}

/// An accepted number of a `numerical` question and the share of the
/// points it earns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericAnswer {
    pub accepts: NumberRange,
    /// 1 for full points; 0.5 for half.
    pub weight: f64,
}

impl NumericAnswer {
    /// As people write it, with its share when it earns less than full
    /// points: `1822 ± 5`, `5（50%）`. The quiz pages and the exports show
    /// it the same way.
    pub fn display(&self) -> String {
        let shown = self.accepts.display();
        if self.weight >= 1.0 - 1e-9 {
            shown
        } else {
            format!("{shown}（{}%）", format_number(self.weight * 100.0))
        }
    }
}

/// What a numeric answer accepts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberRange {
    /// `value` give or take `tolerance` (0: exactly).
    Value { value: f64, tolerance: f64 },
    /// From `min` to `max`, both included.
    Range { min: f64, max: f64 },
}

impl NumberRange {
    /// The interval accepted.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            NumberRange::Value { value, tolerance } => (value - tolerance, value + tolerance),
            NumberRange::Range { min, max } => (min, max),
        }
    }

    /// As people write it: `4`, `1822 ± 5`, `3.141–3.142`.
    pub fn display(self) -> String {
        let n = format_number;
        match self {
            NumberRange::Value {
                value,
                tolerance: 0.0,
            } => n(value),
            NumberRange::Value { value, tolerance } => format!("{} ± {}", n(value), n(tolerance)),
            NumberRange::Range { min, max } => format!("{} – {}", n(min), n(max)),
        }
    }
}

/// A number as people write it: `2`, `2.5`, `3.14159` (at most 6 decimals).
pub fn format_number(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The type-specific part of a question, with its answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Single {
        options: Vec<Choice>,
        /// Index into `options`.
        answer: usize,
    },
    Multiple {
        options: Vec<Choice>,
        /// Indexes into `options`, ascending, at least two.
        answer: Vec<usize>,
        scoring: MultipleScoring,
    },
    TrueFalse {
        answer: bool,
    },
    Fill {
        /// Accepted answers, one list per blank of the prompt.
        blanks: Vec<Vec<String>>,
        /// The blanks' answers may be given in any order (列举题).
        any_order: bool,
    },
    Short(Rubric),
    Case {
        /// Id of the case page (`chapter-slug/page-slug`).
        case: String,
        parts: Vec<CasePart>,
    },
    Numerical {
        /// In the order written; the best one that accepts a response counts.
        answers: Vec<NumericAnswer>,
    },
}

/// One question of a bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Unique in the course; progress is stored under it.
    pub id: String,
    /// Markdown. May be empty for a `case` question (the case is the prompt).
    pub prompt: String,
    pub body: Body,
    /// Markdown.
    pub explanation: Option<String>,
    pub points: f64,
    pub tags: Vec<String>,
    pub difficulty: Option<Difficulty>,
    /// Whether the options may be shuffled (the bank's setting unless the question says otherwise).
    pub shuffle: bool,
    /// Line of the question in its bank file, for diagnostics.
    pub line: usize,
}

impl Question {
    pub fn kind(&self) -> QuestionType {
        match self.body {
            Body::Single { .. } => QuestionType::Single,
            Body::Multiple { .. } => QuestionType::Multiple,
            Body::TrueFalse { .. } => QuestionType::TrueFalse,
            Body::Fill { .. } => QuestionType::Fill,
            Body::Short(_) => QuestionType::Short,
            Body::Case { .. } => QuestionType::Case,
            Body::Numerical { .. } => QuestionType::Numerical,
        }
    }

    pub fn options(&self) -> &[Choice] {
        match &self.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => options,
            _ => &[],
        }
    }
}

/// A question bank: one YAML file under quizzes/, for one chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    /// File stem: names the page (`quizzes/<key>.html`) and the stored progress.
    pub key: String,
    /// Relative to the course root.
    pub file: PathBuf,
    /// Slug of the chapter it belongs to.
    pub chapter: String,
    pub title: String,
    /// Percent.
    pub pass_mark: f64,
    pub shuffle: bool,
    /// Minutes, for exam mode.
    pub time_limit: Option<u32>,
    pub questions: Vec<Question>,
    /// Texts shown between the questions, not scored (Moodle's
    /// "description" items), in file order.
    pub descriptions: Vec<Description>,
}

/// A text of a bank shown before a question (or after the last one).
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// Index in `Bank::questions` of the question it precedes;
    /// `questions.len()` when it follows the last one.
    pub before: usize,
    /// Markdown.
    pub text: String,
}

impl Bank {
    pub fn total_points(&self) -> f64 {
        self.questions.iter().map(|q| q.points).sum()
    }
}

/// Where a drawn question lives: `QuizSet::banks[bank].questions[question]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuestionRef {
    pub bank: usize,
    pub question: usize,
}

/// A section of an exam paper (一、单项选择题 …) with the questions drawn for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamSection {
    pub title: String,
    /// Markdown shown under the title.
    pub instructions: Option<String>,
    /// Points of every question of the section, overriding the banks' (每题 2 分).
    pub points: Option<f64>,
    pub questions: Vec<QuestionRef>,
}

/// An exam: a YAML file under quizzes/exams/ drawing questions from the banks.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub key: String,
    pub file: PathBuf,
    pub title: String,
    pub seed: u64,
    /// Minutes.
    pub time_limit: Option<u32>,
    pub pass_mark: f64,
    /// Markdown shown at the top of the exam and the paper (考试说明).
    pub instructions: Option<String>,
    pub sections: Vec<ExamSection>,
}
