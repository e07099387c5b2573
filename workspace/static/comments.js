// A link to a comment older than the ones a thread shows (…#comment-42, from an email, a feed
// or a notification) opens the page of earlier comments that holds it.
(function () {
  "use strict";
  const match = /^#comment-(\d+)$/.exec(window.location.hash);
  if (!match || document.getElementById(`comment-${match[1]}`)) return;
  const wanted = Number(match[1]);
  const first = document.querySelector("article.comment");
  const earlier = document.querySelector(".earlier-comments a");
  if (!earlier || (first && Number(first.id.replace("comment-", "")) < wanted)) return;
  const url = new URL(earlier.href);
  url.searchParams.set("before", String(wanted + 1));
  url.hash = `comment-${wanted}`;
  if (url.search !== window.location.search) window.location.replace(url.toString());
})();
