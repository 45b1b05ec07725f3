// newsledger's pages: series charts, the article view's details panel, the map.
// Loaded as a static file (the Content-Security-Policy forbids inline scripts);
// every value from the store is written with textContent, never as HTML.
"use strict";

(function () {
  const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function isoDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  // --- series charts: one line per claimant, a click on a point opens its sentence ---
  function drawCharts() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas.series-chart").forEach(function (canvas) {
      const data = readJson(canvas.dataset.source);
      if (!data || !data.lines.length) return;
      const datasets = data.lines.map(function (line, i) {
        return {
          label: line.label,
          data: line.points.map(function (p) {
            return { x: Date.parse(p.x), y: p.y, href: p.href, qualifier: p.qualifier, reports: p.reports };
          }),
          showLine: true,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          pointRadius: 4,
          pointHoverRadius: 6,
        };
      });
      const chart = new window.Chart(canvas, {
        type: "scatter",
        data: { datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: {
            x: { type: "linear", ticks: { callback: isoDay, maxTicksLimit: 8 } },
            y: { beginAtZero: true },
          },
          plugins: {
            legend: { display: !canvas.closest(".small") },
            tooltip: {
              callbacks: {
                label: function (item) {
                  const p = item.raw;
                  const words = p.qualifier === "exact" ? "" : p.qualifier.replace(/_/g, " ") + " ";
                  return item.dataset.label + ": " + words + p.y.toLocaleString("en") +
                    " (" + isoDay(p.x) + ", " + p.reports + " report" + (p.reports === 1 ? "" : "s") + ")";
                },
              },
            },
          },
          onClick: function (event, elements) {
            if (!elements.length) return;
            const point = datasets[elements[0].datasetIndex].data[elements[0].index];
            if (point.href && point.href.charAt(0) === "/") window.location.assign(point.href);
          },
        },
      });
      canvas.dataset.rendered = String(chart.data.datasets.length);
    });
  }

  // --- article view: the fields of the clicked highlight ---
  function showDetails(records, span) {
    const panel = document.getElementById("details");
    if (!panel) return;
    panel.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = "Details";
    panel.appendChild(heading);
    (span.dataset.refs || "").split(" ").forEach(function (ref) {
      const record = records[ref];
      if (!record) return;
      const box = document.createElement("section");
      box.className = "record hl-" + record.layer;
      const title = document.createElement("h3");
      title.textContent = record.label;
      box.appendChild(title);
      const list = document.createElement("dl");
      Object.keys(record.fields).forEach(function (name) {
        const value = record.fields[name];
        if (value === null || value === "" || (Array.isArray(value) && !value.length)) return;
        const term = document.createElement("dt");
        term.textContent = name;
        const description = document.createElement("dd");
        description.textContent = Array.isArray(value) ? value.join(", ") : String(value);
        list.append(term, description);
      });
      box.appendChild(list);
      panel.appendChild(box);
    });
    document.querySelectorAll(".hl.selected").forEach(function (el) { el.classList.remove("selected"); });
    span.classList.add("selected");
  }

  function wireArticle() {
    const records = readJson("records");
    const text = document.getElementById("article-text");
    if (!records || !text) return;
    text.addEventListener("click", function (event) {
      const span = event.target.closest(".hl");
      if (span) showDetails(records, span);
    });
    text.addEventListener("keydown", function (event) {
      const span = event.target.closest(".hl");
      if (span && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        showDetails(records, span);
      }
    });
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && target.nextElementSibling && target.nextElementSibling.classList.contains("hl")) {
      showDetails(records, target.nextElementSibling);
    }
  }

  // --- map: the bundled outline and a dot per located place ---
  const SVG = "http://www.w3.org/2000/svg";
  const VIEW = { west: 14, east: 46, south: 42, north: 57 };

  function project(lon, lat, width, height) {
    return [
      ((lon - VIEW.west) / (VIEW.east - VIEW.west)) * width,
      ((VIEW.north - lat) / (VIEW.north - VIEW.south)) * height,
    ];
  }

  function ringPath(ring, width, height) {
    return ring.map(function (point, i) {
      const xy = project(point[0], point[1], width, height);
      return (i ? "L" : "M") + xy[0].toFixed(1) + "," + xy[1].toFixed(1);
    }).join("") + "Z";
  }

  function near(geometry) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (polygon) {
      return polygon[0].some(function (p) {
        return p[0] > VIEW.west - 10 && p[0] < VIEW.east + 10 && p[1] > VIEW.south - 10 && p[1] < VIEW.north + 10;
      });
    });
  }

  function drawMap() {
    const svg = document.getElementById("map");
    if (!svg || typeof window.topojson === "undefined") return;
    const width = 800, height = 560;
    const places = readJson(svg.dataset.places) || [];
    fetch(svg.dataset.outline).then(function (response) { return response.json(); }).then(function (topology) {
      const countries = window.topojson.feature(topology, topology.objects.countries).features;
      countries.forEach(function (country) {
        if (!country.geometry || !near(country.geometry)) return;
        const polygons = country.geometry.type === "Polygon" ? [country.geometry.coordinates] : country.geometry.coordinates;
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", polygons.map(function (polygon) {
          return polygon.map(function (ring) { return ringPath(ring, width, height); }).join("");
        }).join(""));
        path.setAttribute("class", "country" + (country.properties.name === "Ukraine" ? " ukraine" : ""));
        const title = document.createElementNS(SVG, "title");
        title.textContent = country.properties.name;
        path.appendChild(title);
        svg.appendChild(path);
      });
      const largest = Math.max.apply(null, places.map(function (p) { return p.mentions; }).concat([1]));
      places.forEach(function (place) {
        if (place.lon < VIEW.west || place.lon > VIEW.east || place.lat < VIEW.south || place.lat > VIEW.north) return;
        const xy = project(place.lon, place.lat, width, height);
        const link = document.createElementNS(SVG, "a");
        link.setAttribute("href", "/figures?place=" + encodeURIComponent(place.name));
        const dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", xy[0].toFixed(1));
        dot.setAttribute("cy", xy[1].toFixed(1));
        dot.setAttribute("r", (3 + 9 * Math.sqrt(place.mentions / largest)).toFixed(1));
        dot.setAttribute("class", "place");
        const title = document.createElementNS(SVG, "title");
        title.textContent = place.name + ": " + place.mentions + " mentions, " + place.figures + " figures, " + place.events + " events";
        dot.appendChild(title);
        link.appendChild(dot);
        svg.appendChild(link);
      });
      svg.dataset.rendered = "true";
    });
  }

  // Live lists: alerts and articles are polled without a reload; what arrived after your last
  // visit to their page is marked "new" there, and counted beside their link in the nav elsewhere.
  const POLL_MS = 15000;

  function cell(row, text, href) {
    const td = document.createElement("td");
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      td.appendChild(link);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  const LIVE_LISTS = [
    {
      page: "alerts", seenKey: "newsledger.alertsSeen", api: "/api/alerts?limit=50", label: "Alerts",
      time: function (item) { return item.created_at; },
      row: function (alert, row) {
        cell(row, new Date(Date.parse(alert.created_at)).toISOString().slice(0, 16).replace("T", " "));
        cell(row, alert.rule);
        cell(row, alert.message);
        cell(row, alert.article_id.slice(0, 8), "/articles/" + encodeURIComponent(alert.article_id));
      },
    },
    {
      page: "articles", seenKey: "newsledger.articlesSeen", api: "/api/articles?order=ingested&limit=50",
      label: "Articles",
      time: function (item) { return item.ingested_at; },
      row: function (article, row) {
        const inferred = article.published_inferred;
        cell(row, article.published || (inferred ? "~" + inferred.date : ""));
        cell(row, article.source || "");
        cell(row, article.title || article.id, "/articles/" + encodeURIComponent(article.id));
        [article.figures, article.quotes, article.timexes, article.events].forEach(function (n) { cell(row, String(n)); });
      },
    },
  ];

  function timeOf(value) {
    return Date.parse(value) || 0;
  }

  function poll(list, seen, onPage) {
    fetch(list.api, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.items) return;
        const fresh = body.items.filter(function (item) { return timeOf(list.time(item)) > seen; });
        const link = document.getElementById(list.page + "-link");
        if (link && !onPage) {
          link.textContent = fresh.length ? list.label + " (" + fresh.length + " new)" : list.label;
          link.classList.toggle("has-new", fresh.length > 0);
        }
        const table = document.getElementById(list.page);
        if (!onPage || !table || location.search) return;  // a filtered list is left as it is
        const rows = table.tBodies[0];
        const shown = new Set(Array.from(rows.querySelectorAll("tr[data-created]"), function (r) { return r.dataset.created; }));
        fresh.slice().reverse().forEach(function (item) {
          if (shown.has(list.time(item))) return;
          const empty = rows.querySelector(".empty-row");
          if (empty) empty.remove();
          const row = document.createElement("tr");
          row.dataset.created = list.time(item);
          row.classList.add("new");
          list.row(item, row);
          rows.insertBefore(row, rows.firstChild);
        });
      })
      .catch(function () { /* offline or stopped: try again at the next poll */ });
  }

  function watchLists() {
    if (document.body.dataset.liveWired) return;
    document.body.dataset.liveWired = "true";
    LIVE_LISTS.forEach(function (list) {
      const stored = localStorage.getItem(list.seenKey);
      let seen = stored === null ? Infinity : Number(stored);  // never visited: nothing is "new" yet
      const onPage = document.body.dataset.page === list.page;
      if (onPage) {
        const rows = document.querySelectorAll("#" + list.page + " tr[data-created]");
        const times = Array.from(rows, function (row) { return timeOf(row.dataset.created); });
        const newest = Math.max.apply(null, [0].concat(times));
        if (stored === null) seen = newest;  // the first visit: what is here now is the baseline
        rows.forEach(function (row, i) { if (times[i] > seen) row.classList.add("new"); });
        localStorage.setItem(list.seenKey, String(Math.max(newest, stored === null ? 0 : Number(stored))));
      }
      poll(list, seen, onPage);
      setInterval(function () { poll(list, seen, onPage); }, POLL_MS);
    });
  }

  function start() {
    drawCharts();
    wireArticle();
    drawMap();
    watchLists();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
