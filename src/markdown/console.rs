//! Terminal sessions (```` ```console ````): which lines are commands typed
//! after a prompt, and which are what the commands printed.

/// One line of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionLine {
    /// A command: the prompt is the line's first `prompt` bytes.
    Command { prompt: usize },
    /// The rest of a command continued from the line before (after a `\`,
    /// or PowerShell's and bash's `>>`/`> ` secondary prompt).
    Continuation { prompt: usize },
    /// What a command printed.
    Output,
}

/// Reads a session's lines (each without its `\n`). A session in which no
/// line starts with a prompt is commands written without prompts (people
/// often fence a few commands as `console`): every line is then one script.
pub fn classify<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<SessionLine> {
    let mut out = Vec::new();
    let mut continues = false;
    for line in lines {
        let kind = if continues {
            let secondary = secondary_prompt(line);
            SessionLine::Continuation { prompt: secondary }
        } else {
            match prompt_len(line) {
                Some(prompt) => SessionLine::Command { prompt },
                None => SessionLine::Output,
            }
        };
        continues = !matches!(kind, SessionLine::Output) && line.trim_end().ends_with('\\');
        out.push(kind);
    }
    if !out.iter().any(|k| matches!(k, SessionLine::Command { .. })) {
        for (i, kind) in out.iter_mut().enumerate() {
            *kind = if i == 0 {
                SessionLine::Command { prompt: 0 }
            } else {
                SessionLine::Continuation { prompt: 0 }
            };
        }
    }
    out
}

/// `> ` or `>> ` at the start of a continued line.
fn secondary_prompt(line: &str) -> usize {
    for p in [">> ", "> "] {
        if line.starts_with(p) {
            return p.len();
        }
    }
    0
}

/// The length of the prompt `line` starts with, if it is a command line:
/// `$ `, `# `, `% ` (optionally after `user@host:~/dir`, `[user@host dir]`
/// or a `(venv) `), `PS C:\> `, `C:\> ` and a bare `>` prompt of Windows.
/// A prompt is followed by a space or ends the line.
pub fn prompt_len(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    // A virtual environment's `(name) `.
    if bytes.first() == Some(&b'(') {
        if let Some(end) = line.find(") ") {
            if !line[1..end].contains(char::is_whitespace) {
                i = end + 2;
            }
        }
    }
    let rest = &line[i..];
    // PowerShell: `PS> `, `PS C:\path> `.
    if let Some(after) = rest.strip_prefix("PS") {
        if let Some(gt) = after.find('>') {
            let between = &after[..gt];
            if between.is_empty() || between.starts_with(' ') {
                return ends_prompt(line, i + 2 + gt + 1);
            }
        }
    }
    // cmd.exe: `C:\> `, `C:\Users\me> `.
    let rb = rest.as_bytes();
    if rb.len() >= 3 && rb[0].is_ascii_alphabetic() && rb[1] == b':' && rb[2] == b'\\' {
        if let Some(gt) = rest.find('>') {
            if !rest[..gt].contains(' ') {
                return ends_prompt(line, i + gt + 1);
            }
        }
    }
    // `[user@host dir]$ `
    let mut j = i;
    if rb.first() == Some(&b'[') {
        if let Some(end) = rest.find(']') {
            j = i + end + 1;
        }
    } else {
        // `user@host:~/dir$ `: a word of prompt characters only.
        let word_end = rest
            .find(|c: char| !(c.is_alphanumeric() || "@:~/._-+".contains(c)))
            .unwrap_or(rest.len());
        if rest[..word_end].contains(['@', ':', '~', '/']) {
            j = i + word_end;
        }
    }
    match line[j..].chars().next() {
        Some('$' | '#' | '%' | '❯' | '➜') => {
            let c = line[j..].chars().next().map(char::len_utf8).unwrap_or(1);
            ends_prompt(line, j + c)
        }
        _ => None,
    }
}

/// A prompt ending at `end` counts when the line ends there or a space follows
/// (the space belongs to the prompt).
fn ends_prompt(line: &str, end: usize) -> Option<usize> {
    match line[end..].chars().next() {
        None => Some(end),
        Some(' ') => Some(end + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(line: &str) -> Option<&str> {
        prompt_len(line).map(|n| &line[..n])
    }

    #[test]
    fn prompts_people_write() {
        assert_eq!(prompt("$ cargo build"), Some("$ "));
        assert_eq!(prompt("# apt-get install foo"), Some("# "));
        assert_eq!(prompt("% ls"), Some("% "));
        assert_eq!(prompt("$"), Some("$"));
        assert_eq!(prompt("user@host:~/src$ make"), Some("user@host:~/src$ "));
        assert_eq!(prompt("~/code$ ls"), Some("~/code$ "));
        assert_eq!(prompt("[root@box tmp]# id"), Some("[root@box tmp]# "));
        assert_eq!(prompt("(venv) $ pip install x"), Some("(venv) $ "));
        assert_eq!(prompt("PS C:\\Users\\me> dir"), Some("PS C:\\Users\\me> "));
        assert_eq!(prompt("PS> Get-Item ."), Some("PS> "));
        assert_eq!(prompt("C:\\> dir"), Some("C:\\> "));
        assert_eq!(prompt("❯ ls"), Some("❯ "));
    }

    #[test]
    fn output_is_not_a_prompt() {
        assert_eq!(prompt("   Compiling foo v0.1.0"), None);
        assert_eq!(prompt("$HOME is set"), None);
        assert_eq!(prompt("#include <stdio.h>"), None);
        assert_eq!(prompt("total 0"), None);
        assert_eq!(prompt("10% done"), None);
        assert_eq!(prompt("PSA: read this"), None);
        assert_eq!(prompt(""), None);
    }

    #[test]
    fn a_session_without_prompts_is_one_script() {
        assert_eq!(
            classify(["cargo build", "cargo test"]),
            vec![
                SessionLine::Command { prompt: 0 },
                SessionLine::Continuation { prompt: 0 },
            ]
        );
        assert_eq!(classify(["$ ls", "a.txt"])[1], SessionLine::Output);
    }

    #[test]
    fn commands_continue_after_a_backslash() {
        let lines = ["$ docker run \\", "  -it ubuntu", "hello", "$ ls"];
        assert_eq!(
            classify(lines),
            vec![
                SessionLine::Command { prompt: 2 },
                SessionLine::Continuation { prompt: 0 },
                SessionLine::Output,
                SessionLine::Command { prompt: 2 },
            ]
        );
        let lines = ["$ echo a \\", "> b"];
        assert_eq!(classify(lines)[1], SessionLine::Continuation { prompt: 2 });
    }
}
