//! The pages of the quizzes: a page per bank, three per exam (interactive,
//! printable paper, answer key) and the 错题本 notebook.
//!
//! Every question is rendered to HTML here, at build time, so a page reads and
//! prints without JavaScript; the grading data travels beside it as JSON in a
//! `<script type="application/json">` written with `json_for_script`, so no
//! content can close that element. The notebook shows questions of any bank,
//! so each bank also gets `quizzes/<key>.js`, which registers its questions
//! (HTML and grading data) when the notebook loads it by script tag — the only
//! way to load data that also works from file://.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tera::Context;

use super::OutputFile;
use super::{json_for_script, Renderer};
use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::markdown::untrusted as markup;
use crate::quiz::choices::letter;
use crate::quiz::model::*;
use crate::quiz::{
    anchor, bank_script_url, bank_url, exam_print_url, exam_url, QuizSet, NOTEBOOK_URL,
};

#[derive(Serialize)]
struct OptionView {
    letter: char,
    index: usize,
    html: String,
    feedback_html: Option<String>,
    pin: bool,
}

#[derive(Serialize)]
struct KeyPointView {
    html: String,
    weight: f64,
    weight_text: String,
    synonyms: Vec<String>,
}

#[derive(Serialize)]
struct RubricView {
    key_points: Vec<KeyPointView>,
    cap: Option<String>,
    /// Whether every point carries weight 1 (weights are then not shown).
    plain_weights: bool,
    reference_html: Option<String>,
}

#[derive(Serialize)]
struct PartView {
    number: usize,
    prompt_html: String,
    points: f64,
    points_text: String,
    rubric: RubricView,
}

#[derive(Serialize)]
struct CaseView {
    /// Relative to the site root.
    url: String,
    title: String,
}

/// A question as the templates see it.
#[derive(Serialize)]
struct QuestionView {
    id: String,
    anchor: String,
    number: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    points: f64,
    points_text: String,
    prompt_html: String,
    /// Fill questions: the prompt cut at its blanks (n blanks, n + 1 pieces).
    fill_pieces: Vec<String>,
    options: Vec<OptionView>,
    /// Letters of the right options, e.g. "ACD".
    answer_letters: String,
    true_false: Option<bool>,
    blanks: Vec<Vec<String>>,
    any_order: bool,
    /// Short questions: one part without a prompt of its own; case questions: the sub-questions.
    parts: Vec<PartView>,
    case: Option<CaseView>,
    explanation_html: Option<String>,
    difficulty: Option<Difficulty>,
    tags: Vec<String>,
    /// Lines to write on in the printed paper.
    answer_lines: usize,
    /// The bank's description texts shown before this question (bank pages only).
    descriptions_html: Vec<String>,
    /// Numerical questions: the accepted numbers as written (`1822 ± 5`),
    /// with the share of the points for a partly right one (`5（50%）`).
    numbers: Vec<String>,
}

fn rubric_view(r: &Rubric) -> RubricView {
    RubricView {
        key_points: r
            .key_points
            .iter()
            .map(|k| KeyPointView {
                html: markup::to_inline_html(&k.text),
                weight: k.weight,
                weight_text: fmt_points(k.weight),
                synonyms: k.synonyms.clone(),
            })
            .collect(),
        cap: r
            .cap
            .filter(|&c| c < r.key_points.iter().map(|k| k.weight).sum())
            .map(fmt_points),
        plain_weights: r.key_points.iter().all(|k| k.weight == 1.0),
        reference_html: r.reference.as_deref().map(markup::to_html),
    }
}

fn question_view(site: &Site, q: &Question, number: usize, points: f64) -> QuestionView {
    let kind = q.kind();
    let options: Vec<OptionView> = q
        .options()
        .iter()
        .enumerate()
        .map(|(i, o)| OptionView {
            letter: letter(i),
            index: i,
            html: markup::to_inline_html(&o.text),
            feedback_html: o.feedback.as_deref().map(markup::to_inline_html),
            pin: o.pin,
        })
        .collect();
    let answer_letters: String = match &q.body {
        Body::Single { answer, .. } => letter(*answer).to_string(),
        Body::Multiple { answer, .. } => answer.iter().map(|&i| letter(i)).collect(),
        _ => String::new(),
    };
    let (fill_pieces, prompt_html) = match kind {
        QuestionType::Fill => (markup::fill_pieces(&q.prompt), String::new()),
        _ => (
            Vec::new(),
            if q.prompt.trim().is_empty() {
                String::new()
            } else {
                markup::to_html(&q.prompt)
            },
        ),
    };
    let parts: Vec<PartView> = match &q.body {
        Body::Short(rubric) => vec![PartView {
            number: 1,
            prompt_html: String::new(),
            points,
            points_text: fmt_points(points),
            rubric: rubric_view(rubric),
        }],
        Body::Case { parts, .. } => parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let part_points = scaled(p.points, q.points, points);
                PartView {
                    number: i + 1,
                    prompt_html: markup::to_html(&p.prompt),
                    points: part_points,
                    points_text: fmt_points(part_points),
                    rubric: rubric_view(&p.rubric),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let case = match &q.body {
        Body::Case { case, .. } => {
            let cases = site.cases();
            let page = cases.get(case.as_str());
            Some(CaseView {
                url: page.map(|p| p.url.clone()).unwrap_or_default(),
                title: page
                    .map(|p| p.title.clone())
                    .unwrap_or_else(|| case.clone()),
            })
        }
        _ => None,
    };
    QuestionView {
        id: q.id.clone(),
        anchor: anchor(&q.id),
        number,
        kind: kind.name(),
        points,
        points_text: fmt_points(points),
        prompt_html,
        fill_pieces,
        options,
        answer_letters,
        true_false: match q.body {
            Body::TrueFalse { answer } => Some(answer),
            _ => None,
        },
        blanks: match &q.body {
            Body::Fill { blanks, .. } => blanks.clone(),
            _ => Vec::new(),
        },
        any_order: matches!(
            q.body,
            Body::Fill {
                any_order: true,
                ..
            }
        ),
        parts,
        case,
        explanation_html: q.explanation.as_deref().map(markup::to_html),
        difficulty: q.difficulty,
        tags: q.tags.clone(),
        answer_lines: (points.ceil() as usize).clamp(3, 12),
        descriptions_html: Vec::new(),
        numbers: match &q.body {
            Body::Numerical { answers } => answers.iter().map(|a| a.display()).collect(),
            _ => Vec::new(),
        },
    }
}

/// A sub-question's points when the whole question is re-weighted by an exam section.
fn scaled(part: f64, question: f64, shown: f64) -> f64 {
    if question > 0.0 && (question - shown).abs() > 1e-9 {
        (part * shown / question * 100.0).round() / 100.0
    } else {
        part
    }
}

fn rubric_data(r: &Rubric) -> Value {
    json!({
        "keyPoints": r.key_points.iter().map(|k| json!({
            "text": markup::plain_text(&k.text),
            "synonyms": k.synonyms,
            "weight": k.weight,
        })).collect::<Vec<_>>(),
        "full": r.full_weight(),
    })
}

/// What the browser needs to grade a question; no HTML.
fn grade_data(q: &Question, bank: &str, points: f64) -> Value {
    let mut d = json!({ "id": q.id, "type": q.kind().name(), "points": points, "bank": bank });
    let m = d.as_object_mut().expect("object");
    match &q.body {
        Body::Single { options, answer } => {
            m.insert("answer".into(), json!(answer));
            m.insert("options".into(), json!(options.len()));
            m.insert("pinned".into(), json!(pinned(options)));
            m.insert("shuffle".into(), json!(q.shuffle));
        }
        Body::Multiple {
            options,
            answer,
            scoring,
        } => {
            m.insert("answer".into(), json!(answer));
            m.insert("options".into(), json!(options.len()));
            m.insert("pinned".into(), json!(pinned(options)));
            m.insert("shuffle".into(), json!(q.shuffle));
            m.insert("scoring".into(), json!(scoring));
        }
        Body::TrueFalse { answer } => {
            m.insert("answer".into(), json!(answer));
        }
        Body::Fill { blanks, any_order } => {
            m.insert("answer".into(), json!(blanks));
            m.insert("anyOrder".into(), json!(any_order));
        }
        Body::Short(r) => {
            m.insert("rubric".into(), rubric_data(r));
        }
        Body::Case { parts, .. } => {
            let parts: Vec<Value> = parts.iter().map(|p| json!({ "points": scaled(p.points, q.points, points), "rubric": rubric_data(&p.rubric) })).collect();
            m.insert("parts".into(), json!(parts));
        }
        Body::Numerical { answers } => {
            // Each accepted interval and its share; the browser takes the
            // best that holds the number given.
            let answers: Vec<Value> = answers
                .iter()
                .map(|a| {
                    let (min, max) = a.accepts.bounds();
                    json!({ "min": min, "max": max, "weight": a.weight })
                })
                .collect();
            m.insert("answer".into(), json!(answers));
        }
    }
    d
}

fn pinned(options: &[Choice]) -> Vec<usize> {
    options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.pin)
        .map(|(i, _)| i)
        .collect()
}

/// Storage namespace of the course: every page opened from file:// shares one
/// origin, so progress is kept under the course's title (progress.js). The
/// home page's progress table reads the same title from `course.title`.
fn course_key(site: &Site) -> &str {
    &site.config.title
}

fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{}", (p * 100.0).round() / 100.0)
    }
}

pub fn render_all(
    site: &Site,
    quizzes: &QuizSet,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files: Vec<OutputFile> = Vec::new();
    let bank_files: Vec<Result<Vec<OutputFile>, Diagnostic>> = quizzes
        .banks
        .par_iter()
        .map(|b| bank_pages(site, b, renderer))
        .collect();
    for f in bank_files {
        files.extend(f?);
    }
    for exam in &quizzes.exams {
        files.extend(exam_pages(site, quizzes, exam, renderer)?);
    }
    if !quizzes.banks.is_empty() {
        files.push(notebook_page(site, quizzes, renderer)?);
    }
    Ok(files)
}

fn bank_pages(
    site: &Site,
    bank: &Bank,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let url = bank_url(&bank.key);
    let mut views: Vec<QuestionView> = bank
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_view(site, q, i + 1, q.points))
        .collect();
    // A description travels inside the question it precedes, so it stays
    // with it when the questions are shuffled; those after the last
    // question close the list.
    let mut closing_descriptions = Vec::new();
    for d in &bank.descriptions {
        let html = markup::to_html(&d.text);
        match views.get_mut(d.before) {
            Some(view) => view.descriptions_html.push(html),
            None => closing_descriptions.push(html),
        }
    }
    let grading: Vec<Value> = bank
        .questions
        .iter()
        .map(|q| grade_data(q, &bank.key, q.points))
        .collect();
    let data = json!({
        "page": "bank",
        "key": bank.key,
        "course": course_key(site),
        "title": bank.title,
        "url": url,
        "passMark": bank.pass_mark,
        "shuffle": bank.shuffle,
        "timeLimit": bank.time_limit,
        "questions": grading,
    });
    let chapter = site.chapter(&bank.chapter);
    let mut ctx = renderer.context(&url);
    ctx.insert(
        "bank",
        &json!({
            "key": bank.key,
            "title": bank.title,
            "pass_mark": fmt_points(bank.pass_mark),
            "time_limit": bank.time_limit,
            "total": fmt_points(bank.total_points()),
            "count": bank.questions.len(),
        }),
    );
    ctx.insert("page", &json!({ "title": bank.title }));
    if let Some(c) = chapter {
        ctx.insert(
            "quiz_chapter",
            &json!({ "title": c.title(), "url": c.index.url }),
        );
        ctx.insert("breadcrumbs", &json!([{ "title": site.home.title, "url": "index.html" }, { "title": c.title(), "url": c.index.url }]));
    }
    ctx.insert("questions", &views);
    ctx.insert("closing_descriptions", &closing_descriptions);
    ctx.insert("quiz_data", &json_for_script(&data));
    let html = renderer.render("quiz.html", &ctx)?;
    // The notebook shows questions one by one, without the bank's texts.
    for view in &mut views {
        view.descriptions_html.clear();
    }

    // The notebook's copy: each question's HTML as it renders on the notebook page (at the site root).
    let mut qctx = renderer.context(NOTEBOOK_URL);
    let mut entries = Vec::with_capacity(views.len());
    for (view, grade) in views.iter().zip(grading) {
        qctx.insert("q", view);
        let mut grade = grade;
        let html = renderer.render("partials/question.html", &qctx)?;
        grade
            .as_object_mut()
            .expect("object")
            .insert("html".into(), Value::String(html));
        entries.push(grade);
    }
    let script = format!(
        "(window.LecternBanks = window.LecternBanks || {{}})[{}] = {};\n",
        json_for_script(&bank.key),
        json_for_script(&json!({ "title": bank.title, "url": url, "questions": entries }))
    );
    Ok(vec![
        OutputFile::new(url, html),
        OutputFile::new(bank_script_url(&bank.key), script),
    ])
}

struct ExamView {
    sections: Vec<Value>,
    grading: Vec<Value>,
    total: f64,
}

fn exam_view(site: &Site, quizzes: &QuizSet, exam: &Exam) -> ExamView {
    let mut number = 0;
    let mut total = 0.0;
    let mut grading = Vec::new();
    let mut sections = Vec::new();
    for (si, s) in exam.sections.iter().enumerate() {
        let mut views = Vec::new();
        let mut section_total = 0.0;
        for r in &s.questions {
            let bank = &quizzes.banks[r.bank];
            let q = &bank.questions[r.question];
            let points = s.points.unwrap_or(q.points);
            number += 1;
            section_total += points;
            views.push(question_view(site, q, number, points));
            grading.push(grade_data(q, &bank.key, points));
        }
        total += section_total;
        let uniform = s
            .questions
            .first()
            .map(|r| {
                s.points
                    .unwrap_or(quizzes.banks[r.bank].questions[r.question].points)
            })
            .filter(|p| {
                s.questions.iter().all(|r| {
                    (s.points
                        .unwrap_or(quizzes.banks[r.bank].questions[r.question].points)
                        - p)
                        .abs()
                        < 1e-9
                })
            });
        sections.push(json!({
            "number": si + 1,
            "title": s.title,
            "instructions_html": s.instructions.as_deref().map(markup::to_html),
            "each": uniform.map(fmt_points),
            "total": fmt_points(section_total),
            "count": views.len(),
            "start": number + 1 - views.len(),
            "questions": views,
        }));
    }
    ExamView {
        sections,
        grading,
        total,
    }
}

fn exam_pages(
    site: &Site,
    quizzes: &QuizSet,
    exam: &Exam,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let view = exam_view(site, quizzes, exam);
    let count: usize = exam.sections.iter().map(|s| s.questions.len()).sum();
    let exam_json = json!({
        "key": exam.key,
        "title": exam.title,
        "seed": exam.seed,
        "time_limit": exam.time_limit,
        "pass_mark": fmt_points(exam.pass_mark),
        "instructions_html": exam.instructions.as_deref().map(markup::to_html),
        "total": fmt_points(view.total),
        "count": count,
        "url": exam_url(&exam.key),
        "paper_url": exam_print_url(&exam.key, "paper"),
        "key_url": exam_print_url(&exam.key, "key"),
    });
    let data = json!({
        "page": "exam",
        "key": exam.key,
        "course": course_key(site),
        "title": exam.title,
        "url": exam_url(&exam.key),
        "passMark": exam.pass_mark,
        "shuffle": false,
        "timeLimit": exam.time_limit,
        "questions": view.grading,
    });
    let mut out = Vec::new();
    for (template, url) in [
        ("exam.html", exam_url(&exam.key)),
        ("paper.html", exam_print_url(&exam.key, "paper")),
        ("answer-key.html", exam_print_url(&exam.key, "key")),
    ] {
        let mut ctx = renderer.context(&url);
        ctx.insert("exam", &exam_json);
        ctx.insert("page", &json!({ "title": exam.title }));
        ctx.insert("sections", &view.sections);
        if template == "exam.html" {
            ctx.insert("quiz_data", &json_for_script(&data));
        }
        out.push(OutputFile::new(url, renderer.render(template, &ctx)?));
    }
    Ok(out)
}

fn notebook_page(
    site: &Site,
    quizzes: &QuizSet,
    renderer: &Renderer,
) -> Result<OutputFile, Diagnostic> {
    let mut ctx: Context = renderer.context(NOTEBOOK_URL);
    let banks: Vec<Value> = quizzes
        .banks
        .iter()
        .map(|b| json!({ "key": b.key, "title": b.title, "url": bank_url(&b.key), "script": bank_script_url(&b.key) }))
        .collect();
    let data = json!({ "page": "notebook", "key": "notebook", "course": course_key(site), "banks": banks, "questions": [] });
    ctx.insert(
        "page",
        &json!({ "title": crate::quiz::notebook_title(quizzes.language) }),
    );
    ctx.insert("banks", &banks);
    ctx.insert("quiz_data", &json_for_script(&data));
    Ok(OutputFile::new(
        NOTEBOOK_URL,
        renderer.render("notebook.html", &ctx)?,
    ))
}
