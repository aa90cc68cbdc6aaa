//! Exams (quizzes/exams/*.yaml): read, then drawn from the banks with a seeded
//! generator, so the same file gives the same paper on every machine and in
//! every build — the printed paper, its answer key and the exam page agree.

use std::collections::{HashMap, HashSet};

use serde_yaml::Value;

use super::bank::minutes;
use super::fields::{join, Reader};
use super::model::*;

const EXAM_KEYS: &[&str] = &[
    "title",
    "seed",
    "time_limit",
    "pass_mark",
    "instructions",
    "sections",
];
const SECTION_KEYS: &[&str] = &["title", "instructions", "points", "draw"];
const DRAW_KEYS: &[&str] = &["chapter", "type", "count", "tags", "difficulty"];

/// Which questions a draw takes, as written.
struct Draw {
    path: String,
    /// Chapter slug or folder name; `None` for every chapter (`all`).
    chapter: Option<String>,
    kind: Option<QuestionType>,
    tags: Vec<String>,
    difficulty: Option<Difficulty>,
    count: usize,
}

/// Reads an exam file and draws its questions from `banks`. `key` is the file stem.
pub fn read_exam(
    r: &mut Reader,
    value: &Value,
    key: &str,
    banks: &[Bank],
    chapters: &[(&str, &str)],
    default_pass_mark: f64,
) -> Option<Exam> {
    let map = r.mapping(value, "", "an exam", EXAM_KEYS)?;
    let title = r.required_text(map, "", "title", "the exam");
    let seed = r
        .integer(map, "", "seed")
        .unwrap_or_else(|| fnv1a(key.as_bytes()));
    let time_limit = minutes(r, map, "", "time_limit");
    let pass_mark = r.percent(map, "", "pass_mark").unwrap_or(default_pass_mark);
    let instructions = r
        .text(map, "", "instructions")
        .filter(|t| !t.trim().is_empty());

    let mut rng = SplitMix64::new(seed);
    let mut taken = Taken::default();
    let mut sections = Vec::new();
    let Some(items) = r.list(map, "", "sections") else {
        if !map.contains_key("sections") {
            r.error_hint(
                "",
                "the exam has no `sections`",
                "add `sections:`, each with a `title` and a `draw` list",
            );
        }
        return None;
    };
    if items.is_empty() {
        r.error_hint(
            "sections",
            "the exam has no sections",
            "add at least one section with a `draw` list",
        );
    }
    for (path, item) in items {
        let Some(m) = r.mapping(item, &path, "an exam section", SECTION_KEYS) else {
            continue;
        };
        let title = r
            .required_text(m, &path, "title", "the section")
            .unwrap_or_default();
        let instructions = r
            .text(m, &path, "instructions")
            .filter(|t| !t.trim().is_empty());
        let points = r.positive(m, &path, "points");
        let mut questions = Vec::new();
        let Some(draws) = r.list(m, &path, "draw") else {
            if !m.contains_key("draw") {
                r.error_hint(
                    &path,
                    format!("section `{title}` has no `draw`"),
                    "add `draw: [{ chapter: all, type: single, count: 10 }]`",
                );
            }
            continue;
        };
        for (draw_path, draw) in draws {
            let Some(draw) = read_draw(r, draw, &draw_path, chapters) else {
                continue;
            };
            questions.extend(take(r, &draw, banks, &mut taken, &mut rng));
        }
        sections.push(ExamSection {
            title,
            instructions,
            points,
            questions,
        });
    }
    Some(Exam {
        key: key.to_string(),
        file: r.file.to_path_buf(),
        title: title?,
        seed,
        time_limit,
        pass_mark,
        instructions,
        sections,
    })
}

fn read_draw(r: &mut Reader, value: &Value, path: &str, chapters: &[(&str, &str)]) -> Option<Draw> {
    let m = r.mapping(value, path, "a draw", DRAW_KEYS)?;
    let chapter = match r.text(m, path, "chapter").map(|c| c.trim().to_string()) {
        None => None,
        Some(c) if c == "all" => None,
        Some(c) => match chapters
            .iter()
            .find(|(slug, folder)| *slug == c || *folder == c)
        {
            Some((slug, _)) => Some(slug.to_string()),
            None => {
                let slugs: Vec<&str> = chapters.iter().map(|(s, _)| *s).collect();
                let hint = match crate::diagnostic::nearest(&c, slugs.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? or `all` for every chapter"),
                    None => format!("chapters: all, {}", slugs.join(", ")),
                };
                r.error_hint(
                    &join(path, "chapter"),
                    format!("chapter `{c}` does not exist"),
                    hint,
                );
                return None;
            }
        },
    };
    let kind = match r.text(m, path, "type") {
        None => None,
        Some(name) => match QuestionType::from_name(name.trim()) {
            Some(k) => Some(k),
            None => {
                let names: Vec<&str> = QuestionType::ALL.iter().map(|t| t.name()).collect();
                r.error_hint(
                    &join(path, "type"),
                    format!("unknown question type `{name}`"),
                    format!("the types are {}", names.join(", ")),
                );
                return None;
            }
        },
    };
    let difficulty = match r.text(m, path, "difficulty") {
        None => None,
        Some(name) => match Difficulty::from_name(name.trim()) {
            Some(d) => Some(d),
            None => {
                r.error_hint(
                    &join(path, "difficulty"),
                    format!("unknown difficulty `{name}`"),
                    format!("use one of {}", Difficulty::NAMES.join(", ")),
                );
                return None;
            }
        },
    };
    let tags = r.text_list(m, path, "tags");
    let count = match r.integer(m, path, "count") {
        Some(0) => {
            r.error_hint(
                &join(path, "count"),
                "`count` is 0",
                "draw at least one question, or remove the draw",
            );
            return None;
        }
        Some(n) => n as usize,
        None if !m.contains_key("count") => {
            r.error_hint(
                path,
                "the draw has no `count`",
                "say how many questions to draw: `count: 10`",
            );
            return None;
        }
        None => return None,
    };
    Some(Draw {
        path: path.to_string(),
        chapter,
        kind,
        tags,
        difficulty,
        count,
    })
}

/// What an exam has drawn so far: the questions, and their prompts, so that no
/// paper asks the same thing twice — not even as two questions of different
/// banks that happen to share a prompt.
#[derive(Default)]
struct Taken {
    questions: HashSet<QuestionRef>,
    /// Normalised prompt → the question that brought it onto the paper.
    prompts: HashMap<String, QuestionRef>,
}

/// A question's prompt as a reader sees it: blank space ignored, so a line
/// break or a double space does not make two prompts different. A `case`
/// question without a prompt of its own is asked by its case.
fn prompt_key(q: &Question) -> String {
    let text: String = q.prompt.split_whitespace().collect();
    match &q.body {
        Body::Case { case, .. } if text.is_empty() => format!("case:{case}"),
        _ => text,
    }
}

/// Draws `draw.count` questions not taken yet, none sharing a prompt with
/// another question of the exam, or reports that too few match.
fn take(
    r: &mut Reader,
    draw: &Draw,
    banks: &[Bank],
    taken: &mut Taken,
    rng: &mut SplitMix64,
) -> Vec<QuestionRef> {
    let mut pool: Vec<QuestionRef> = Vec::new();
    for (b, bank) in banks.iter().enumerate() {
        if draw.chapter.as_ref().is_some_and(|c| *c != bank.chapter) {
            continue;
        }
        for (i, q) in bank.questions.iter().enumerate() {
            let r = QuestionRef {
                bank: b,
                question: i,
            };
            let matches = draw.kind.is_none_or(|k| q.kind() == k)
                && draw.difficulty.is_none_or(|d| q.difficulty == Some(d))
                && (draw.tags.is_empty() || draw.tags.iter().any(|t| q.tags.contains(t)))
                && !taken.questions.contains(&r);
            if matches {
                pool.push(r);
            }
        }
    }
    let question = |r: &QuestionRef| &banks[r.bank].questions[r.question];
    // Questions whose prompt an earlier draw already put on the paper.
    let mut repeats: Vec<(QuestionRef, QuestionRef)> = Vec::new();
    pool.retain(|q| match taken.prompts.get(&prompt_key(question(q))) {
        Some(first) => {
            repeats.push((*q, *first));
            false
        }
        None => true,
    });
    // A partial Fisher–Yates shuffle: the first `count` places are a uniform
    // draw. A pick whose prompt this draw already took leaves the pool.
    let mut picked = 0;
    while picked < draw.count && picked < pool.len() {
        let j = picked + rng.below((pool.len() - picked) as u64) as usize;
        pool.swap(picked, j);
        let key = prompt_key(question(&pool[picked]));
        if let Some(first) = taken.prompts.get(&key) {
            repeats.push((pool[picked], *first));
            pool.swap_remove(picked);
            continue;
        }
        taken.prompts.insert(key, pool[picked]);
        taken.questions.insert(pool[picked]);
        picked += 1;
    }
    if picked < draw.count {
        let mut what = vec![format!(
            "chapter {}",
            draw.chapter.as_deref().unwrap_or("all")
        )];
        if let Some(k) = draw.kind {
            what.push(format!("type {}", k.name()));
        }
        if let Some(d) = draw.difficulty {
            what.push(format!("difficulty {}", Difficulty::NAMES[d as usize]));
        }
        if !draw.tags.is_empty() {
            what.push(format!("tags {}", draw.tags.join("/")));
        }
        let mut message = format!(
            "the draw asks for {} questions but only {} match ({}) and are not drawn already",
            draw.count,
            picked,
            what.join(", ")
        );
        let mut hint = "lower `count`, widen the draw, or add questions to the bank".to_string();
        if !repeats.is_empty() {
            repeats.sort_by_key(|(q, _)| (q.bank, q.question));
            repeats.dedup_by_key(|(q, _)| *q);
            let names: Vec<String> = repeats
                .iter()
                .take(5)
                .map(|(q, first)| {
                    format!(
                        "`{}` asks the same as `{}`",
                        question(q).id,
                        question(first).id
                    )
                })
                .collect();
            let more = repeats.len().saturating_sub(names.len());
            message.push_str(&format!(
                "; {} more match but ask what the paper already asks: {}{}",
                repeats.len(),
                names.join("; "),
                if more > 0 {
                    format!(" (and {more} more)")
                } else {
                    String::new()
                }
            ));
            hint = "one paper never asks the same prompt twice: reword or remove the repeated \
                    questions, lower `count`, or widen the draw"
                .to_string();
        }
        r.error_hint(&join(&draw.path, "count"), message, hint);
        // The draw failed as a whole: later draws may still take its picks.
        for q in &pool[..picked] {
            taken.questions.remove(q);
            taken.prompts.remove(&prompt_key(question(q)));
        }
        return Vec::new();
    }
    pool.truncate(draw.count);
    pool
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and specified exactly,
/// so a seed means the same paper on every platform and in every version of
/// the tool, which a library generator does not promise.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0); the modulo bias is below 2⁻⁴⁰ for any bank size.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// FNV-1a: a stable hash for default seeds and storage keys.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_published_sequence() {
        // Reference values of SplitMix64 seeded with 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
