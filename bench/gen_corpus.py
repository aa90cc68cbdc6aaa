#!/usr/bin/env python3
"""Generates a synthetic course of N pages for the lectern benchmark.

The same Markdown pages are written three times, laid out for each tool:

    bench/corpus/N/lectern/           course.yaml + content/NNN-chapter/{index.md, NN-section.md}
    bench/corpus/N/lectern-nosearch/  the same content (hard links), search disabled
    bench/corpus/N/mdbook/            book.toml + src/SUMMARY.md + the same pages
    bench/corpus/N/hugo/              hugo.toml + minimal layouts + content/NNN-chapter/{_index.md, ...}

Every page body is identical across the three. lectern and Hugo read a YAML
front matter (`title` only); mdBook takes titles from SUMMARY.md, so its copy
has no front matter. Output is deterministic for a given N, kind and seed.

Two kinds of corpus:

    --kind code (default)  bench/corpus/N/: about a third of every page's bytes
                           are fenced code blocks in a dozen languages; the
                           rest is Chinese and English prose, lists, tables
                           and quotes.
    --kind prose           bench/corpus/prose-N/: a textbook chapter's shape,
                           mostly Chinese prose (about 10% code): an outline
                           of ## and ### headings, several paragraphs under
                           each, numbered and bulleted lists, a table or two,
                           a quote now and then, a few English sentences.
                           Real Chinese courses and books look like this, and
                           it is where search tokenizing weighs most.

Usage: gen_corpus.py N [N ...] [--kind code|prose] [--seed S] [--out DIR]
"""

import argparse
import json
import math
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- vocabulary

ZH_WORDS = (
    "客户 服务 系统 数据 管理 分析 设计 实现 模块 接口 用户 需求 质量 流程 企业 "
    "项目 任务 目标 方法 原则 标准 规范 性能 安全 可靠性 部署 测试 维护 版本 配置 "
    "网络 存储 缓存 索引 查询 事务 并发 线程 进程 内存 文件 日志 监控 告警 故障 "
    "恢复 备份 权限 认证 授权 加密 协议 请求 响应 会话 消息 队列 调度 负载 均衡 "
    "容器 集群 节点 服务器 数据库 表格 字段 记录 报表 指标 成本 效率 体验 反馈 "
    "沟通 协作 团队 培训 考核 评估 改进 优化 重构 迁移 升级 兼容 扩展 架构 组件 "
    "算法 结构 变量 函数 对象 类型 参数 返回值 异常 错误 边界 条件 循环 递归 "
    "投诉 满意度 期望 忠诚度 档案 回访 渠道 承诺 态度 意识 技巧 礼仪 倾听 提问"
).split()

ZH_CONNECT = (
    "因此 同时 此外 但是 然而 首先 其次 最后 例如 一般来说 在实践中 换句话说 "
    "需要注意的是 更重要的是 在这种情况下 与此相对"
).split()

ZH_VERBS = (
    "提高 降低 保证 影响 决定 包括 支持 处理 提供 建立 完善 分析 理解 掌握 "
    "检查 记录 比较 选择 调整 控制 验证 发现 解决 避免"
).split()

EN_WORDS = (
    "the a an service system data request response cache index query latency "
    "throughput customer team process quality design build deploy test release "
    "version module interface function value error handler thread worker queue "
    "message storage network protocol session token user account policy review "
    "metric report budget schedule pipeline stage output input config option "
    "default level field record table column row schema migration backup restore "
    "is are was be can should must will may often always never usually quickly "
    "carefully reliably safely with without for from into over under across "
    "between before after during because while although when where which that "
    "small large fast slow simple complex stable new old first last every each"
).split()

TERMS = (
    "HTTP TCP SQL JSON YAML REST API CPU SLA KPI CRM DNS TLS UTF-8 Git CI/CD "
    "Docker Kubernetes Redis PostgreSQL Nginx Linux"
).split()

IDENTS = (
    "order customer invoice item user account session cache index buffer queue "
    "worker record report ticket payload config result total count limit offset "
    "status score level retry timeout handler request response parser token"
).split()


# ------------------------------------------------------------------ prose

def zh_sentence(rng):
    parts = []
    for clause in range(rng.randint(1, 3)):
        words = []
        if clause == 0 and rng.random() < 0.3:
            words.append(rng.choice(ZH_CONNECT) + "，")
        n = rng.randint(3, 7)
        for i in range(n):
            w = rng.choice(ZH_WORDS)
            if i == n // 2:
                w = rng.choice(ZH_VERBS) + w
            r = rng.random()
            if r < 0.06:
                w = f" `{rng.choice(IDENTS)}` "
            elif r < 0.12:
                w = f" {rng.choice(TERMS)} "
            elif r < 0.16:
                w = f"**{w}**"
            words.append(w)
            if rng.random() < 0.4:
                words.append(rng.choice("的和与及在对"))
        parts.append("".join(words).strip())
    return "，".join(parts) + rng.choice("。。。！？；")


def en_sentence(rng):
    n = rng.randint(8, 18)
    words = []
    for _ in range(n):
        r = rng.random()
        if r < 0.05:
            words.append(f"`{rng.choice(IDENTS)}()`")
        elif r < 0.10:
            words.append(rng.choice(TERMS))
        elif r < 0.13:
            words.append(f"*{rng.choice(EN_WORDS)}*")
        else:
            words.append(rng.choice(EN_WORDS))
    s = " ".join(words)
    return s[0].upper() + s[1:] + rng.choice("....!?")


def paragraph(rng):
    if rng.random() < 0.65:
        return "".join(zh_sentence(rng) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.5:
        return " ".join(en_sentence(rng) for _ in range(rng.randint(2, 5)))
    # mixed: Chinese with an English sentence in it
    return zh_sentence(rng) + " " + en_sentence(rng) + " " + zh_sentence(rng)


def heading_text(rng):
    if rng.random() < 0.7:
        return "".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(2, 4)))
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(2, 5))]
    return " ".join(words).capitalize()


def bullet_list(rng):
    ordered = rng.random() < 0.35
    lines = []
    for i in range(rng.randint(3, 7)):
        marker = f"{i + 1}." if ordered else "-"
        text = zh_sentence(rng) if rng.random() < 0.7 else en_sentence(rng)
        lines.append(f"{marker} {text}")
        if rng.random() < 0.15:
            lines.append(f"   - {zh_sentence(rng)}")
    return "\n".join(lines)


def table(rng):
    cols = rng.randint(2, 5)
    head = [heading_text(rng)[:12] for _ in range(cols)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * cols]
    for _ in range(rng.randint(3, 8)):
        cells = []
        for c in range(cols):
            r = rng.random()
            if r < 0.3:
                cells.append(str(rng.randint(1, 99999)))
            elif r < 0.45:
                cells.append(f"`{rng.choice(IDENTS)}`")
            else:
                cells.append("".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(1, 4))))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def quote(rng):
    return "> " + paragraph(rng)


# ------------------------------------------------------------------- code

CODE = {
    "rust": [
        """/// Returns the {a} with the highest {b}.
pub fn best_{a}(items: &[{A}], limit: usize) -> Option<&{A}> {{
    items
        .iter()
        .filter(|x| x.{b} > {n} && x.name.len() < limit)
        .max_by_key(|x| x.{b})
}}""",
        """#[derive(Debug, Clone, PartialEq)]
pub struct {A} {{
    pub id: u64,
    pub name: String,
    pub {b}: i64,
    tags: Vec<String>,
}}

impl {A} {{
    pub fn new(id: u64, name: &str) -> Self {{
        Self {{ id, name: name.to_string(), {b}: {n}, tags: Vec::new() }}
    }}
}}""",
        """fn load_{a}(path: &Path) -> Result<Vec<{A}>, Error> {{
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::with_capacity({n});
    for (i, line) in text.lines().enumerate() {{
        match line.split_once('=') {{
            Some((k, v)) => out.push({A}::parse(k.trim(), v.trim())?),
            None if line.is_empty() => continue,
            None => return Err(Error::Syntax {{ line: i + 1 }}),
        }}
    }}
    Ok(out)
}}""",
    ],
    "python": [
        """def {a}_{b}(records, threshold={n}):
    \"\"\"Group {a} records by {b}.\"\"\"
    groups = defaultdict(list)
    for rec in records:
        if rec.get("{b}", 0) >= threshold:
            groups[rec["{b}"]].append(rec)
    return {{k: len(v) for k, v in sorted(groups.items())}}""",
        """class {A}Service:
    def __init__(self, db, cache=None):
        self.db = db
        self.cache = cache or {{}}

    async def fetch(self, {a}_id: int) -> dict:
        if {a}_id in self.cache:
            return self.cache[{a}_id]
        row = await self.db.fetchrow("SELECT * FROM {a} WHERE id = $1", {a}_id)
        self.cache[{a}_id] = dict(row)
        return self.cache[{a}_id]""",
    ],
    "javascript": [
        """export function {a}{A}(list, opts = {{}}) {{
  const limit = opts.limit ?? {n};
  return list
    .filter((x) => x.{b} !== undefined && x.{b} < limit)
    .map((x) => ({{ ...x, label: `${{x.name}} (${{x.{b}}})` }}))
    .sort((a, b) => a.{b} - b.{b});
}}""",
        """document.querySelectorAll(".{a}").forEach((el) => {{
  el.addEventListener("click", async (event) => {{
    event.preventDefault();
    const res = await fetch(`/api/{a}/${{el.dataset.id}}`);
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    el.textContent = data.{b} || "—";
  }});
}});""",
    ],
    "java": [
        """public class {A}Repository {{
    private final Map<Long, {A}> store = new ConcurrentHashMap<>();

    public Optional<{A}> find(long id) {{
        return Optional.ofNullable(store.get(id));
    }}

    public List<{A}> top(int n) {{
        return store.values().stream()
            .sorted(Comparator.comparingInt({A}::get{B}).reversed())
            .limit(n)
            .collect(Collectors.toList());
    }}
}}""",
        """@Override
public void handle(HttpExchange exchange) throws IOException {{
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    int status = body.isEmpty() ? 400 : 200;
    exchange.sendResponseHeaders(status, body.length());
    try (OutputStream os = exchange.getResponseBody()) {{
        os.write(("{a}:" + {n}).getBytes());
    }}
}}""",
    ],
    "go": [
        """func (s *{A}Store) Get(ctx context.Context, id int64) (*{A}, error) {{
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.items[id]
	if !ok {{
		return nil, fmt.Errorf("{a} %d: %w", id, ErrNotFound)
	}}
	if v.{B} > {n} {{
		log.Printf("large {b}: %d", v.{B})
	}}
	return v, nil
}}""",
        """type {A} struct {{
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	{B}   int    `json:"{b}"`
}}

func main() {{
	http.HandleFunc("/{a}", func(w http.ResponseWriter, r *http.Request) {{
		json.NewEncoder(w).Encode({A}{{ID: {n}, Name: r.URL.Query().Get("name")}})
	}})
	log.Fatal(http.ListenAndServe(":8080", nil))
}}""",
    ],
    "sql": [
        """SELECT c.id, c.name, COUNT(o.id) AS {b}_count, SUM(o.total) AS revenue
FROM {a} c
LEFT JOIN orders o ON o.{a}_id = c.id AND o.created_at >= '2024-01-01'
WHERE c.status = 'active'
GROUP BY c.id, c.name
HAVING COUNT(o.id) > {n}
ORDER BY revenue DESC
LIMIT 20;""",
        """CREATE TABLE {a} (
    id          BIGSERIAL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    {b}         INTEGER DEFAULT {n},
    created_at  TIMESTAMP NOT NULL DEFAULT now()
);
CREATE INDEX idx_{a}_{b} ON {a} ({b});""",
    ],
    "bash": [
        """#!/usr/bin/env bash
set -euo pipefail
for f in logs/{a}-*.log; do
  count=$(grep -c "{b}" "$f" || true)
  if [ "$count" -gt {n} ]; then
    echo "$f: $count" >> report.txt
  fi
done
tar czf "backup-$(date +%F).tar.gz" report.txt""",
        """export {A}_HOME=/opt/{a}
cd "${A}_HOME" && ./configure --prefix=/usr/local --with-{b}
make -j"$(nproc)" && sudo make install
systemctl restart {a}.service
journalctl -u {a} --since "10 min ago" | tail -n {n}""",
    ],
    "json": [
        """{{
  "{a}": {{
    "id": {n},
    "name": "{a}-{n}",
    "{b}": [1, 2, 3, {n}],
    "enabled": true,
    "owner": null,
    "meta": {{ "created": "2024-05-01T08:00:00Z", "tags": ["{b}", "{a}"] }}
  }}
}}""",
    ],
    "yaml": [
        """{a}:
  replicas: 3
  image: registry.local/{a}:{n}
  env:
    - name: {B}_LIMIT
      value: "{n}"
  resources:
    limits: {{ cpu: "500m", memory: "256Mi" }}""",
    ],
    "c": [
        """static int {a}_{b}(const struct {a} *items, size_t len)
{{
    int total = 0;
    for (size_t i = 0; i < len; i++) {{
        if (items[i].{b} > {n})
            total += items[i].{b};
    }}
    return total;
}}""",
    ],
    "cpp": [
        """template <typename T>
std::vector<T> {a}_{b}(const std::vector<T>& in, int limit = {n}) {{
    std::vector<T> out;
    std::copy_if(in.begin(), in.end(), std::back_inserter(out),
                 [&](const T& x) {{ return x.{b} < limit; }});
    return out;
}}""",
    ],
    "html": [
        """<section class="{a}">
  <h2>{A}</h2>
  <ul>
    <li><a href="/{a}/{n}.html">{b}</a></li>
    <li data-id="{n}">{a}</li>
  </ul>
</section>""",
    ],
    "css": [
        """.{a} {{
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax({n}px, 1fr));
  gap: 1rem;
}}
.{a} > .{b}:hover {{ color: #{n:06x}; }}""",
    ],
}

# Heavier weight for the common languages.
LANG_WEIGHTS = [("rust", 4), ("python", 4), ("javascript", 4), ("java", 3), ("go", 3),
                ("sql", 3), ("bash", 3), ("json", 2), ("yaml", 2), ("c", 1), ("cpp", 1),
                ("html", 1), ("css", 1)]
LANGS = [l for l, w in LANG_WEIGHTS for _ in range(w)]


def code_block(rng):
    lang = rng.choice(LANGS)
    pieces = []
    for _ in range(rng.randint(1, 3)):
        a = rng.choice(IDENTS)
        b = rng.choice(IDENTS)
        n = rng.randint(1, 9999)
        tpl = rng.choice(CODE[lang])
        pieces.append(tpl.format(a=a, b=b, A=a.capitalize(), B=b.capitalize(), n=n))
    return f"```{lang}\n" + "\n\n".join(pieces) + "\n```"


# ------------------------------------------------------------------- pages

def page_body(rng, target):
    """A Markdown body of about `target` bytes, a third of them code."""
    blocks = [paragraph(rng)]
    total = len(blocks[0].encode())
    code = 0
    while total < target:
        if code < total / 3 and rng.random() < 0.6:
            b = code_block(rng)
            code += len(b.encode())
        else:
            r = rng.random()
            if r < 0.12:
                b = f"## {heading_text(rng)}"
            elif r < 0.2:
                b = f"### {heading_text(rng)}"
            elif r < 0.6:
                b = paragraph(rng)
            elif r < 0.78:
                b = bullet_list(rng)
            elif r < 0.9:
                b = table(rng)
            else:
                b = quote(rng)
        blocks.append(b)
        total += len(b.encode()) + 2
    return "\n\n".join(blocks) + "\n", code


def prose_paragraph(rng):
    """A textbook paragraph: Chinese, now and then an English sentence."""
    sentences = [zh_sentence(rng) for _ in range(rng.randint(3, 7))]
    if rng.random() < 0.15:
        sentences.insert(rng.randint(0, len(sentences)), " " + en_sentence(rng) + " ")
    return "".join(sentences)


def prose_list(rng):
    ordered = rng.random() < 0.5
    lines = []
    for i in range(rng.randint(3, 6)):
        marker = f"{i + 1}." if ordered else "-"
        lead = "".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(1, 3)))
        lines.append(f"{marker} **{lead}**：{zh_sentence(rng)}")
    return "\n".join(lines)


def prose_body(rng, target):
    """A textbook chapter of about `target` bytes, about a tenth of them code."""
    blocks = [prose_paragraph(rng)]
    total = len(blocks[0].encode())
    code = 0
    since_heading = 0
    while total < target:
        if code < total / 12 and rng.random() < 0.25:
            b = code_block(rng)
            code += len(b.encode())
        elif since_heading >= rng.randint(2, 5):
            level = "##" if rng.random() < 0.4 else "###"
            b = f"{level} {heading_text(rng)}"
            since_heading = -1
        else:
            r = rng.random()
            if r < 0.62:
                b = prose_paragraph(rng)
            elif r < 0.82:
                b = prose_list(rng)
            elif r < 0.92:
                b = table(rng)
            else:
                b = quote(rng)
        since_heading += 1
        blocks.append(b)
        total += len(b.encode()) + 2
    return "\n\n".join(blocks) + "\n", code


def plan(n):
    """Chapters and their section counts for n pages (chapter index pages included)."""
    chapters = max(1, round(math.sqrt(n)))
    per = n // chapters  # pages per chapter, index included
    extra = n - per * chapters
    return [per + (1 if i < extra else 0) for i in range(chapters)]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def front(title):
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "syntax.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .TableOfContents }}
{{ .Content }}
</article>
<nav>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}
</nav>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""


def corpus_name(n, kind):
    """The corpus folder's name under bench/corpus/: `N` or `prose-N`."""
    return str(n) if kind == "code" else f"{kind}-{n}"


def generate(n, seed, out_root, kind="code"):
    rng = random.Random(f"lectern-bench-{seed}-{n}" if kind == "code" else f"lectern-bench-{kind}-{seed}-{n}")
    base = os.path.join(out_root, corpus_name(n, kind))
    body_of = page_body if kind == "code" else prose_body
    if os.path.exists(base):
        shutil.rmtree(base)
    lec = os.path.join(base, "lectern")
    nos = os.path.join(base, "lectern-nosearch")
    mdb = os.path.join(base, "mdbook")
    hugo = os.path.join(base, "hugo")

    title = f"基准课程 Benchmark course ({n} pages)"
    course = (
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        "language: zh-CN\n"
        "output: public\n"
    )
    write(os.path.join(lec, "course.yaml"), course + "search:\n  enabled: true\n")
    write(os.path.join(nos, "course.yaml"), course + "search:\n  enabled: false\n")
    write(os.path.join(mdb, "book.toml"),
          "[book]\n"
          f"title = {json.dumps(title, ensure_ascii=False)}\n"
          "language = \"zh-CN\"\n"
          "src = \"src\"\n\n"
          "[build]\ncreate-missing = false\n\n"
          "[output.html]\n")
    write(os.path.join(hugo, "hugo.toml"),
          "baseURL = \"http://localhost/\"\n"
          f"title = {json.dumps(title, ensure_ascii=False)}\n"
          "languageCode = \"zh-CN\"\n"
          "hasCJKLanguage = true\n"
          "disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\"]\n\n"
          "[markup.highlight]\n"
          "  codeFences = true\n"
          "  noClasses = false\n"
          "  guessSyntax = false\n")
    write(os.path.join(hugo, "layouts", "_default", "baseof.html"), HUGO_BASEOF)
    write(os.path.join(hugo, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(hugo, "layouts", "_default", "list.html"), HUGO_LIST)
    write(os.path.join(hugo, "static", "syntax.css"), "/* classes from `hugo gen chromastyles` would go here */\n")

    summary = ["# Summary", ""]
    chapters = plan(n)
    width = max(2, len(str(len(chapters))))
    stats = {"pages": 0, "bytes": 0, "code_bytes": 0}
    for ci, count in enumerate(chapters, start=1):
        cdir = f"{ci:0{width}d}-chapter-{rng.choice(IDENTS)}-{ci}"
        ctitle = f"项目 {ci} {heading_text(rng)}"
        pages = [("index.md", "_index.md", ctitle)]
        swidth = max(2, len(str(count)))
        for si in range(1, count):
            name = f"{si:0{swidth}d}-{rng.choice(IDENTS)}-{si}.md"
            pages.append((name, name, f"任务 {ci}.{si} {heading_text(rng)}"))
        for pi, (name, hugo_name, ptitle) in enumerate(pages):
            body, code = body_of(rng, rng.randint(2000, 10000))
            stats["pages"] += 1
            stats["bytes"] += len(body.encode())
            stats["code_bytes"] += code
            fm = front(ptitle)
            write(os.path.join(lec, "content", cdir, name), fm + body)
            os.makedirs(os.path.join(nos, "content", cdir), exist_ok=True)
            os.link(os.path.join(lec, "content", cdir, name), os.path.join(nos, "content", cdir, name))
            write(os.path.join(hugo, "content", cdir, hugo_name), fm + body)
            write(os.path.join(mdb, "src", cdir, name), body)
            indent = "" if pi == 0 else "  "
            summary.append(f"{indent}- [{ptitle}]({cdir}/{name})")
    write(os.path.join(mdb, "src", "SUMMARY.md"), "\n".join(summary) + "\n")
    stats["chapters"] = len(chapters)
    write(os.path.join(base, "stats.json"), json.dumps(stats, indent=2) + "\n")
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="+", type=int, help="numbers of pages")
    ap.add_argument("--kind", choices=["code", "prose"], default="code",
                    help="code: a third code (bench/corpus/N); prose: mostly Chinese prose, ~10%% code (bench/corpus/prose-N)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    args = ap.parse_args()
    for n in args.sizes:
        s = generate(n, args.seed, args.out, args.kind)
        print(f"{corpus_name(n, args.kind)}: {s['chapters']} chapters, {s['pages']} pages, "
              f"{s['bytes'] / 1e6:.1f} MB Markdown, {100 * s['code_bytes'] / s['bytes']:.0f}% in code blocks",
              file=sys.stderr)


if __name__ == "__main__":
    main()
