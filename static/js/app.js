/* Symbl Admin — site-wide behaviour. Loaded with `defer`; no inline scripts (strict CSP).
 *
 * - <time datetime="..." data-local> shows in the viewer's local time zone.
 * - [data-copy="text"] buttons copy text to the clipboard and say so.
 * - [data-dismiss] closes its toast; toasts fade after a while (errors stay).
 * - <dialog class="modal"> swapped in by htmx opens as a modal with focus kept inside;
 *   [data-close-dialog] closes it and focus returns to what opened it.
 * - Focus moves to the first invalid field after an htmx form swap, or, when the submit button
 *   says where (data-focus-after="selector; fallback selector"), there: a builder button that
 *   swaps the form keeps the keyboard user where the new content is. Previous/Next of a
 *   paged region (.pagination a[rel]) keep focus on the same link of the new page, unless the
 *   link says where (data-focus-after: the review queue's first item). "@next-item" in
 *   data-focus-after is the review item the decided one leaves its place to (the same item when
 *   it stays, else the next, else the previous); an item focused so is scrolled to its top and
 *   its diff opened.
 * - A column header ("thead th a") replaced the table it was in: focus the same column's header
 *   of the new table, never <body> (the next Tab would go back to "Skip to main content").
 * - A swap that removes the focused control otherwise moves focus into the new content, never
 *   to <body>: a form replaced by its result to the first invalid field, else the first
 *   heading, else the swapped region.
 * - [data-focus-on-open="id"] focuses that field when the page loads (create forms), never
 *   after an htmx swap.
 * - Escape closes an open menu (<details data-menu>) and focus returns to its toggle; a click
 *   outside closes it too.
 * - A list's search form ([data-list-params]) sends the sort the URL has now (a column header
 *   swaps only the table) and leaves empty fields out of the URL. It sends a query once: the
 *   same query again (Enter, or leaving the box, after the typing already sent it) sends
 *   nothing, so each distinct query is one request and one history entry. A swap it made that
 *   took the focus with the old table puts the focus back in the search box.
 * - [data-history-back] buttons (hidden until the script runs) go back one page.
 * - An htmx request answered with one of our error pages (not swapped: 4xx/5xx) shows that
 *   page's [data-error-message] in an error toast that stays until dismissed.
 */
(function () {
  "use strict";

  var lastOpener = null;

  function localTimes(root) {
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) {
      return;
    }
    root.querySelectorAll("time[datetime][data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d.getTime())) {
        el.textContent = fmt.format(d);
        el.title = d.toISOString().replace(".000Z", "Z") + " (UTC)";
      }
    });
  }

  function announce(text) {
    var host = document.getElementById("toasts");
    if (!host) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-info";
    toast.setAttribute("role", "status");
    var span = document.createElement("span");
    span.textContent = text;
    toast.appendChild(span);
    host.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 3000);
  }

  function copyText(text, button) {
    var done = function () {
      var label = button.getAttribute("data-copied-label") || "Copied";
      var original = button.textContent;
      button.textContent = label;
      announce(label + " to the clipboard");
      setTimeout(function () { button.textContent = original; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing else to try */ }
    area.remove();
  }

  function autoDismiss(root) {
    root.querySelectorAll(".toast:not(.toast-error):not([data-timed])").forEach(function (t) {
      t.setAttribute("data-timed", "1");
      setTimeout(function () { t.remove(); }, 8000);
    });
  }

  function openDialogs(root) {
    root.querySelectorAll("dialog.modal:not([open])").forEach(function (dialog) {
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
        var first = dialog.querySelector("[autofocus], button, [href], input, select, textarea");
        if (first) first.focus();
      }
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (lastOpener && document.body.contains(lastOpener)) lastOpener.focus();
      });
    });
  }

  function shown(el) {
    return el.type !== "hidden" && !el.closest("[hidden]") && el.getClientRects().length > 0;
  }

  // Hidden controls (a textarea the phrase editor replaced, hidden inputs) cannot take focus;
  // a field marked invalid beats a merely nearby one.
  function focusFirstError(root) {
    var first = function (selector) {
      return Array.prototype.find.call(root.querySelectorAll(selector), shown);
    };
    var bad = first("[aria-invalid='true']") || first(".has-error input, .has-error textarea, .has-error select");
    if (bad) bad.focus();
  }

  // The first shown element matching one of "a; b; c", in that order of preference;
  // "@next-item" is the review item that takes the place of the one `origin` was in.
  function findPreferred(root, selectors, origin) {
    var list = selectors.split(";");
    for (var i = 0; i < list.length; i++) {
      var sel = list[i].trim();
      if (!sel) continue;
      var hit = sel === "@next-item" ? itemInPlaceOf(origin) :
        Array.prototype.find.call(root.querySelectorAll(sel), shown);
      if (hit) return hit;
    }
    return null;
  }

  // `origin` is in the replaced (detached) queue: its item's id, then those after it, looked
  // up in the new one; else the new item in its position (one the next page moved up); else
  // those before it, nearest first.
  function itemInPlaceOf(origin) {
    var item = origin && origin.closest && origin.closest(".review-item");
    if (!item) return null;
    var find = function (el) {
      var found = el && el.id && document.getElementById(el.id);
      return found && shown(found) ? found : null;
    };
    var hit = find(item), n;
    for (n = item.nextElementSibling; n && !hit; n = n.nextElementSibling) hit = find(n);
    if (hit) return hit;
    var position = Array.prototype.indexOf.call(item.parentNode.children, item);
    var now = document.querySelectorAll(".review-item");
    if (now[position] && shown(now[position])) return now[position];
    for (n = item.previousElementSibling; n && !hit; n = n.previousElementSibling) hit = find(n);
    return hit;
  }

  // Focus what a swap asked for. A region (tabindex="-1": a review item, a status line) is
  // scrolled to its top, below the sticky bar (scroll-padding-top), and a review item opens
  // its diff: the reader continues there.
  function focusTarget(target) {
    if (target.getAttribute("tabindex") !== "-1") {
      target.focus();
      return;
    }
    target.querySelectorAll("details.review-diff").forEach(function (d) { d.open = true; });
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  // The same column's header link in the new table (the clicked one is detached now).
  function focusSameHeader(root, link) {
    var cell = link.closest("th");
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var again = root.querySelectorAll("thead tr > *")[index];
    var target = again && again.querySelector("a[href]");
    if (target) target.focus();
  }

  // A list query as one comparable string: its non-empty fields, in name order.
  function queryKey(pairs) {
    return pairs.filter(function (p) { return String(p[1]).trim(); })
      .map(function (p) { return p[0] + "=" + p[1]; }).sort().join("&");
  }

  function listForm(elt) {
    return elt && elt.matches && elt.matches("form[data-list-params]") ? elt : null;
  }

  function focusOnOpen() {
    var holder = document.querySelector("[data-focus-on-open]");
    if (!holder || location.hash) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    if (holder.querySelector("[aria-invalid='true']")) return;
    var field = document.getElementById(holder.getAttribute("data-focus-on-open"));
    if (field && shown(field)) field.focus();
  }

  function closeMenu(menu, refocus) {
    menu.removeAttribute("open");
    if (refocus) menu.querySelector("summary").focus();
  }

  function historyBack(root) {
    if (window.history.length < 2) return;
    root.querySelectorAll("[data-history-back]").forEach(function (b) { b.hidden = false; });
  }

  // What a swap put on the page. For an outerHTML swap detail.target is the element that was
  // replaced (no longer in the document); the event itself fires on the new content.
  function swappedRoot(event) {
    var target = event.detail.target;
    if (target && target.isConnected) return target;
    return event.target && event.target.querySelectorAll ? event.target : document;
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      event.preventDefault();
      copyText(copy.getAttribute("data-copy"), copy);
      return;
    }
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) {
      var toast = dismiss.closest(".toast");
      if (toast) toast.remove();
      return;
    }
    var close = event.target.closest("[data-close-dialog]");
    if (close) {
      event.preventDefault();
      var dialog = close.closest("dialog");
      if (dialog) dialog.close();
      return;
    }
    var back = event.target.closest("[data-history-back]");
    if (back) {
      event.preventDefault();
      window.history.back();
      return;
    }
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) closeMenu(menu, false);
    });
    var opener = event.target.closest("[hx-get], [hx-post]");
    if (opener) lastOpener = opener;
  });

  // Only a menu the focus is in takes the Escape (an open dialog keeps its own Escape).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.activeElement) return;
    var menu = document.activeElement.closest("details[data-menu][open]");
    if (!menu) return;
    event.preventDefault();
    closeMenu(menu, true);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var form = listForm(event.detail.elt);
    if (!form) return;
    var params = event.detail.parameters;
    var now = new URLSearchParams(window.location.search);
    if (now.get("sort")) params.sort = now.get("sort");
    else delete params.sort;
    Object.keys(params).forEach(function (key) {
      if (!String(params[key] || "").trim()) delete params[key];
    });
    // The last query this form sent, else (on load, or after a header or pager swapped the
    // table) the one the URL shows: the same again is not sent.
    var key = queryKey(Object.keys(params).map(function (k) { return [k, params[k]]; }));
    var last = form.getAttribute("data-sent");
    if (last === null) last = queryKey(Array.from(now.entries()));
    if (key === last) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", key);
  });

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    autoDismiss(document);
    openDialogs(document);
    historyBack(document);
    focusOnOpen();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    localTimes(swappedRoot(event));
    autoDismiss(document);
    openDialogs(document);
  });
  // What had focus when a swap began: if the swap removed it, focus would fall to <body> and
  // the next Tab would start again at "Skip to main content".
  var focusBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function () {
    focusBeforeSwap = document.activeElement;
  });
  function keepFocusInSwap(root) {
    var before = focusBeforeSwap;
    focusBeforeSwap = null;
    if (!before || before === document.body || before.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    if (root === document || !root.isConnected) return;
    var target = findPreferred(root, "[aria-invalid='true']; h1, h2, h3") || root;
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  // After settle: scripts enhancing the new content (htmx:load) have run, so what focus
  // lands on is what the user sees.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = swappedRoot(event);
    var config = event.detail.requestConfig;
    if (root.id === "main") {
      // A whole new screen (e.g. an edit conflict): start reading it from the top.
      window.scrollTo(0, 0);
      root.focus({ preventScroll: true });
    }
    var submitter = config && config.triggeringEvent && config.triggeringEvent.submitter;
    var clicked = config && config.triggeringEvent && config.triggeringEvent.target;
    var pager = clicked && clicked.closest && clicked.closest(".pagination a[rel]");
    var header = clicked && clicked.closest && clicked.closest("thead th a[href]");
    var origin = submitter || pager;
    var wanted = origin && origin.getAttribute("data-focus-after");
    var searched = listForm(config && config.elt);
    if (!searched) {  // the table changed under the search form: compare with the URL again
      document.querySelectorAll("form[data-list-params][data-sent]").forEach(function (f) {
        f.removeAttribute("data-sent");
      });
    }
    if (wanted) {
      var target = findPreferred(root, wanted, origin);
      if (target) focusTarget(target);
    } else if (header) {
      focusSameHeader(root, header);
    } else if (searched && (!document.activeElement || document.activeElement === document.body)) {
      var box = searched.querySelector("input[type='search']");
      if (box) box.focus();
    } else if (pager) {
      // Previous/Next replaced the region they were in: focus the same link on the new page
      // (or the other one, on the first or last page), never the page top.
      var rel = pager.getAttribute("rel");
      var again = root.querySelector('.pagination a[rel="' + rel + '"]') ||
        root.querySelector(".pagination a[rel]");
      if (again) again.focus();
    } else if (config && config.verb !== "get") {
      focusFirstError(root);
    }
    keepFocusInSwap(root);
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    autoDismiss(document);
  });

  // A failed htmx request (network down, 5xx) must not fail silently.
  document.addEventListener("htmx:sendError", function () {
    announce("The dashboard could not be reached. Check your connection and try again.");
  });
  // htmx does not swap a 4xx/5xx answer. When it is one of our error pages, its own words
  // ([data-error-message], e.g. "too large for one form") stay on screen in an error toast
  // until dismissed, and the form keeps what was typed; otherwise a short generic toast.
  function errorPageMessage(xhr) {
    var type = xhr && xhr.getResponseHeader("Content-Type");
    if (!type || type.indexOf("text/html") !== 0) return "";
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var said = page.querySelector("[data-error-message]");
    if (!said) return "";
    // The attribute may say it for a page that stays (the form is still there); else the text.
    return (said.getAttribute("data-error-message") || said.textContent).replace(/\s+/g, " ").trim();
  }

  function showError(text) {
    var host = document.getElementById("toasts");
    if (!host) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-error";
    toast.setAttribute("role", "alert");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "\u00d7";
    toast.appendChild(span);
    toast.appendChild(close);
    host.appendChild(toast);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var id = xhr && xhr.getResponseHeader("X-Request-ID");
    var reference = id ? " Reference: " + id : "";
    var said = errorPageMessage(xhr);
    if (said) {
      showError(said + reference);
      return;
    }
    announce("Something went wrong (error " + (xhr ? xhr.status : "?") + ")." + reference);
  });

  window.SymblAdmin = { announce: announce, localTimes: localTimes };
})();
