//! `lectern init DIR`: a small course that builds at once and shows every
//! kind of page, to be edited into a real one.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Not to commit: the built site and lectern's build cache.
const GITIGNORE: &str = "# built by lectern\n/public/\n/.lectern/\n";

const FILES_ZH: &[(&str, &str)] = &[
    (".gitignore", GITIGNORE),
    ("course.yaml", "title: {title}\nsubtitle: 用 lectern 编写的课程\nlanguage: zh-CN\nauthor: 课程组\noutput: public\nsearch:\n  enabled: true\nquiz:\n  pass_mark: 60\n"),
    ("content/index.md", "---\ntitle: {title}\n---\n\n欢迎！左侧是章节目录，按 `/` 可搜索全课程，每章末尾有自测题。\n"),
    (
        "content/01-getting-started/index.md",
        "---\ntitle: 第一章 入门\nhours: 2\nsummary: 课程的第一章\nobjectives:\n  knowledge:\n    - 了解本课程的结构\n  skills:\n    - 能够使用搜索和测验\n---\n\n本章包括：\n\n- [第一节 基本概念](01-basics.md)\n- [案例：一次成功的服务](case-example.md)\n- [复习题](review.md)\n",
    ),
    (
        "content/01-getting-started/01-basics.md",
        "---\ntitle: 第一节 基本概念\nsummary: 最基本的概念\n---\n\n## 什么是客户\n\n客户是接受产品或服务的组织或个人。\n\n| 类型 | 说明 |\n|---|---|\n| 内部客户 | 企业内部的同事 |\n| 外部客户 | 企业以外的个人或组织 |\n\n下一步：[看一个案例](case-example.md)。\n",
    ),
    (
        "content/01-getting-started/case-example.md",
        "---\ntitle: 案例：一次成功的服务\nkind: case\nquestions:\n  - prompt: 这次服务为什么成功？\n    points:\n      - 记住了客户的需求\n      - 主动提供帮助\n---\n\n一位老顾客再次光临，店员叫出了他的名字，并记得他上次的偏好……\n",
    ),
    (
        "content/01-getting-started/review.md",
        "---\ntitle: 复习题\nkind: qa\n---\n\n## 客户分为哪两类？\n\n内部客户和外部客户。\n",
    ),
    (
        "quizzes/01-getting-started.yaml",
        "chapter: getting-started\ntitle: 第一章 自测题\nquestions:\n  - id: ch1-single-1\n    type: single\n    prompt: 企业内部的同事属于哪类客户？\n    options: [内部客户, 外部客户]\n    answer: A\n    explanation: 企业内部的同事是内部客户。\n  - id: ch1-tf-1\n    type: true_false\n    prompt: 客户一定在组织之外。\n    answer: false\n    explanation: 内部客户就在组织之内。\n",
    ),
];

const FILES_EN: &[(&str, &str)] = &[
    (".gitignore", GITIGNORE),
    ("course.yaml", "title: {title}\nsubtitle: A course built with lectern\nlanguage: en\nauthor: Course team\noutput: public\nsearch:\n  enabled: true\nquiz:\n  pass_mark: 60\n"),
    ("content/index.md", "---\ntitle: {title}\n---\n\nWelcome! Chapters are on the left; press `/` to search; each chapter ends with a quiz.\n"),
    (
        "content/01-getting-started/index.md",
        "---\ntitle: Chapter 1 Getting started\nhours: 2\nsummary: The first chapter\nobjectives:\n  knowledge:\n    - Know how the course is organised\n  skills:\n    - Use search and quizzes\n---\n\nThis chapter has:\n\n- [Basics](01-basics.md)\n- [A case study](case-example.md)\n- [Review questions](review.md)\n",
    ),
    (
        "content/01-getting-started/01-basics.md",
        "---\ntitle: Basics\nsummary: The first ideas\n---\n\n## What is a customer\n\nA customer receives a product or a service.\n\n| Type | Meaning |\n|---|---|\n| Internal | A colleague |\n| External | Anyone outside the company |\n\nNext: [a case study](case-example.md).\n",
    ),
    (
        "content/01-getting-started/case-example.md",
        "---\ntitle: 'Case: a good service'\nkind: case\nquestions:\n  - prompt: Why did the service succeed?\n    points:\n      - Remembered the customer's needs\n      - Offered help first\n---\n\nA regular customer comes back and the clerk greets him by name…\n",
    ),
    ("content/01-getting-started/review.md", "---\ntitle: Review\nkind: qa\n---\n\n## What are the two kinds of customer?\n\nInternal and external customers.\n"),
    (
        "quizzes/01-getting-started.yaml",
        "chapter: getting-started\ntitle: Chapter 1 quiz\nquestions:\n  - id: ch1-single-1\n    type: single\n    prompt: A colleague is which kind of customer?\n    options: [Internal, External]\n    answer: A\n    explanation: Colleagues are internal customers.\n  - id: ch1-tf-1\n    type: true_false\n    prompt: A customer is always outside the organisation.\n    answer: false\n    explanation: Internal customers are inside it.\n",
    ),
];

/// Creates the course in `dir`, which must not exist or be empty.
pub fn create(dir: &Path, title: Option<&str>, language: &str) -> Result<(), Diagnostic> {
    let english = match language {
        "en" | "en-US" | "en-GB" => true,
        "zh-CN" | "zh" | "zh-cn" => false,
        other => {
            return Err(
                Diagnostic::error(dir, 0, 0, format!("unknown language `{other}`"))
                    .with_hint("use zh-CN or en"),
            )
        }
    };
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::error(
            dir,
            0,
            0,
            "the folder exists and is not empty; refusing to overwrite anything",
        )
        .with_hint("choose a new folder name"));
    }
    let title = title.unwrap_or(if english { "My course" } else { "我的课程" });
    // Quote the title for YAML so any characters are safe.
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| "\"course\"".into());
    for (path, text) in if english { FILES_EN } else { FILES_ZH } {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(parent, 0, 0, format!("cannot create folder: {e}"))
            })?;
        }
        std::fs::write(&target, text.replace("{title}", &quoted))
            .map_err(|e| Diagnostic::error(&target, 0, 0, format!("cannot write: {e}")))?;
    }
    Ok(())
}
