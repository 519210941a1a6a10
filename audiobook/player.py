"""The read-along player: one static page, no server and no network needed.

It shows the chapter list, an audio element, and the transcript with every line labelled and coloured
by its speaker. The line under the playhead is highlighted as the audio plays, a click on a line seeks
there, and the keyboard plays, pauses and skips. `publish.write_player` puts the book's manifest
inside the page, so browsers that refuse to fetch files from disk still work.
"""

PAGE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  :root { --bg: #faf8f4; --ink: #222; --muted: #6b6b6b; --line: #e6e1d8; --now: #fff3c4; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); background: var(--bg); }
  header { padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); background: #fff; }
  header h1 { margin: 0; font-size: 1.5rem; }
  header p { margin: .2rem 0 0; color: var(--muted); }
  main { display: grid; grid-template-columns: minmax(12rem, 18rem) 1fr; min-height: calc(100vh - 5rem); }
  nav { border-right: 1px solid var(--line); padding: 1rem; }
  nav ol { list-style: none; margin: 0; padding: 0; }
  nav button { width: 100%; text-align: left; border: 0; background: none; padding: .5rem .6rem; border-radius: .4rem;
               font: inherit; cursor: pointer; color: var(--ink); }
  nav button:hover { background: var(--line); }
  nav button[aria-current="true"] { background: #222; color: #fff; }
  nav small { display: block; color: inherit; opacity: .7; font-size: .8rem; }
  section { padding: 1rem 1.5rem 4rem; max-width: 52rem; }
  audio { width: 100%; position: sticky; top: .5rem; z-index: 1; }
  .hint { color: var(--muted); font-size: .85rem; margin: .3rem 0 1rem; }
  #transcript { list-style: none; margin: 0; padding: 0; }
  #transcript li { display: grid; grid-template-columns: 8.5rem 1fr; gap: .8rem; padding: .35rem .5rem;
                   border-radius: .4rem; cursor: pointer; border-left: 4px solid var(--who, #bbb); margin: .15rem 0; }
  #transcript li:hover { background: #f0ece4; }
  #transcript li.current { background: var(--now); }
  #transcript .who { font: 600 .8rem/1.9 system-ui, sans-serif; color: var(--who, #777); text-transform: uppercase;
                     letter-spacing: .03em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  #transcript li.narration .text { color: #444; }
  #transcript li.dialogue .text { font-style: italic; }
  @media (max-width: 700px) { main { grid-template-columns: 1fr; } nav { border-right: 0; border-bottom: 1px solid var(--line); }
                              #transcript li { grid-template-columns: 1fr; gap: 0; } }
</style>
</head>
<body>
<header><h1 id="title"></h1><p id="byline"></p></header>
<main>
  <nav aria-label="Chapters"><ol id="chapters"></ol></nav>
  <section>
    <audio id="audio" controls preload="metadata"></audio>
    <p class="hint">Space plays and pauses, &larr; and &rarr; skip 5 seconds, a click on a line plays from there.</p>
    <ol id="transcript" aria-live="off"></ol>
  </section>
</main>
<script id="manifest" type="application/json">__MANIFEST__</script>
<script>
(function () {
  "use strict";
  const book = JSON.parse(document.getElementById("manifest").textContent);
  const audio = document.getElementById("audio");
  const list = document.getElementById("chapters");
  const transcript = document.getElementById("transcript");
  let chapter = -1, lines = [], starts = [], current = -1;

  document.getElementById("title").textContent = book.title;
  document.getElementById("byline").textContent = book.author ? "by " + book.author : "";
  document.title = book.title;

  function hue(name) {
    let h = 0;
    for (const c of name) h = (h * 31 + c.codePointAt(0)) % 360;
    return h;
  }
  function colour(seg) {
    if (seg.kind !== "dialogue") return "#8a8a8a";
    return seg.speaker ? "hsl(" + hue(seg.speaker) + " 60% 38%)" : "#b06000";
  }
  function href(path) {                      // a relative URL: "#", "%" and "?" are name characters here
    return path.split("/").map(encodeURIComponent).join("/");
  }
  function clock(t) {
    const m = Math.floor(t / 60), s = Math.floor(t % 60);
    return m + ":" + String(s).padStart(2, "0");
  }

  book.chapters.forEach(function (ch, i) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.index = i;
    b.append(ch.title);
    const small = document.createElement("small");
    small.textContent = clock(ch.duration);
    b.append(small);
    b.addEventListener("click", function () { load(i, true); });
    li.append(b);
    list.append(li);
  });

  function load(i, play) {
    chapter = i;
    const ch = book.chapters[i];
    audio.src = href(ch.file);
    list.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-current", String(Number(b.dataset.index) === i));
    });
    transcript.textContent = "";
    lines = []; starts = []; current = -1;
    ch.segments.forEach(function (seg, n) {
      if (seg.end <= seg.start) return;
      const li = document.createElement("li");
      li.className = seg.kind;
      li.style.setProperty("--who", colour(seg));
      li.dataset.start = seg.start;
      li.dataset.index = n;
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = seg.kind === "dialogue" ? (seg.speaker || "Unknown") : "Narrator";
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = seg.kind === "dialogue" ? "\u201c" + seg.text + "\u201d" : seg.text;
      li.append(who, text);
      li.addEventListener("click", function () { seek(seg.start); audio.play(); });
      transcript.append(li);
      lines.push(li); starts.push(seg.start);
    });
    history.replaceState(null, "", "#chapter=" + (i + 1));
    if (play) audio.play().catch(function () {});
  }

  function seek(t) { audio.currentTime = Math.max(0, t + 0.001); highlight(); }

  function highlight() {
    const t = audio.currentTime;
    let lo = 0, hi = starts.length - 1, at = -1;
    while (lo <= hi) {                       // the last line that has started
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (at === current) return;
    if (current >= 0) lines[current].classList.remove("current");
    current = at;
    if (at >= 0) {
      lines[at].classList.add("current");
      const r = lines[at].getBoundingClientRect();
      if (r.top < 60 || r.bottom > window.innerHeight) lines[at].scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("ended", function () {
    if (chapter + 1 < book.chapters.length) load(chapter + 1, true);
  });
  document.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("input, textarea")) return;
    if (e.code === "Space") { e.preventDefault(); audio.paused ? audio.play() : audio.pause(); }
    else if (e.code === "ArrowRight") { seek(audio.currentTime + 5); }
    else if (e.code === "ArrowLeft") { seek(audio.currentTime - 5); }
  });

  const m = /chapter=(\d+)/.exec(location.hash);
  load(m ? Math.min(book.chapters.length, Math.max(1, Number(m[1]))) - 1 : 0, false);
  window.player = {
    load: load, seek: seek, audio: audio,
    current: function () { return current >= 0 ? lines[current] : null; }
  };
})();
</script>
</body>
</html>
"""
