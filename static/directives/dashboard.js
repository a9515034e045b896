/* Oversight dashboard: the submissions chart (Chart.js) and the readiness map (Leaflet, no tiles).
 * Data comes from <script type="application/json"> blocks written by the page; without these
 * libraries (or JavaScript) the page still shows every figure in its tables. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  var T = data("dash-strings") || {};
  var thai = (document.documentElement.lang || "th").slice(0, 2) === "th";
  var locale = thai ? "th-TH" : "en-GB";
  var dayFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  var longFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  function fmtDay(iso, long) {
    var p = iso.split("-");
    var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    return (long ? longFormat : dayFormat).format(d);
  }

  // -- chart -----------------------------------------------------------------------------------
  function drawChart() {
    var canvas = document.getElementById("dash-chart");
    var tl = data("dash-timeline");
    if (!canvas || !tl || typeof window.Chart === "undefined") return;
    var deadlineIndex = -1;
    if (tl.deadline) {
      for (var i = 0; i < tl.labels.length; i++) {
        if (tl.labels[i] >= tl.deadline) { deadlineIndex = i; break; }
      }
    }
    var deadlineMarker = {
      id: "deadlineMarker",
      afterDatasetsDraw: function (chart) {
        if (deadlineIndex < 0) return;
        var x = chart.scales.x.getPixelForValue(deadlineIndex);
        var area = chart.chartArea;
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#a4262c";
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#a4262c";
        ctx.font = "bold 12px Sarabun, sans-serif";
        var label = (T.deadline || "Deadline") + " " + fmtDay(tl.deadline);
        var w = ctx.measureText(label).width;
        ctx.textAlign = x + w + 6 > area.right ? "right" : "left";
        ctx.fillText(label, ctx.textAlign === "right" ? x - 4 : x + 4, area.top + 12);
        ctx.restore();
      },
    };
    var total = tl.labels.map(function () { return tl.total; });
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: tl.labels,
        datasets: [
          {
            label: T.submitted || "Plans sent",
            data: tl.submitted,
            borderColor: "#0b5563",
            backgroundColor: "rgba(11, 85, 99, 0.12)",
            fill: true,
            tension: 0.15,
            pointRadius: 0,
            pointHitRadius: 8,
            borderWidth: 2.5,
          },
          {
            label: T.late || "Late",
            data: tl.late,
            borderColor: "#b35806",
            backgroundColor: "rgba(230, 159, 0, 0.18)",
            fill: true,
            pointRadius: 0,
            pointHitRadius: 8,
            borderWidth: 1.5,
          },
          {
            label: T.total || "All local governments",
            data: total,
            borderColor: "#5b6770",
            borderDash: [4, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            fill: false,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: {
            ticks: {
              autoSkip: true,
              maxRotation: 0,
              maxTicksLimit: 7,
              callback: function (value) { return fmtDay(this.getLabelForValue(value)); },
            },
            grid: { display: false },
          },
          y: { beginAtZero: true, suggestedMax: tl.total, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, font: { family: "Sarabun" } } },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? fmtDay(items[0].label, true) : ""; },
            },
          },
        },
      },
      plugins: [deadlineMarker],
    });
  }

  // -- map -------------------------------------------------------------------------------------
  function shortName(name) {
    return name.replace(/^อำเภอ/, "").replace(/^จังหวัด/, "");
  }
  function pct(a) {
    return a.ready_percent === null || a.ready_percent === undefined ? "–" : a.ready_percent + "%";
  }
  function areaText(a) {
    var text = a.name + ": " + pct(a) + " " + (T.ready || "sent") + " (" + a.ready + "/" + a.total + ")";
    if (a.mean_score !== null && a.mean_score !== undefined) text += ", " + (T.score || "mean score") + " " + a.mean_score;
    return text;
  }

  function drawMap() {
    var el = document.getElementById("dash-map");
    var md = data("dash-mapdata");
    if (!el || !md || typeof window.L === "undefined") return;
    var geo = data("dash-geo");
    var L = window.L;
    var byCode = {};
    md.areas.forEach(function (a) { if (a.code) byCode[a.code] = a; });
    var hasPoints = md.points && md.points.length;
    var hasAreaPoints = md.areas.some(function (a) { return a.lat !== undefined; });
    if (!geo && !hasPoints && !hasAreaPoints) {
      el.innerHTML = '<p class="dash-map-empty">' + (T.noData || "") + "</p>";
      return;
    }
    var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    var layers = [];
    // Name and share written on each area of a province; hover/tap tooltips on the country's 77.
    var labelled = md.areas.length <= 30 && md.scope !== "district";
    if (geo) {
      var layer = L.geoJSON(geo, {
        style: function (f) {
          var a = byCode[f.properties.code];
          return { color: "#1b1f23", weight: 1, fillColor: a ? a.fill : "#ffffff", fillOpacity: a ? 0.85 : 0.3 };
        },
        onEachFeature: function (f, lyr) {
          var a = byCode[f.properties.code];
          if (!a) return;
          lyr.bindTooltip(labelled ? shortName(a.name) + " " + pct(a) : areaText(a), {
            permanent: labelled,
            direction: "center",
            className: "dash-map-label",
            sticky: !labelled,
          });
          if (a.url) {
            lyr.on("click", function () { window.location.href = a.url + "#h-summary"; });
          }
        },
      });
      map.attributionControl.addAttribution(T.attribution || "");
      layers.push(layer);
    } else {
      md.areas.forEach(function (a) {
        if (a.lat === undefined) return;
        var m = L.circleMarker([a.lat, a.lon], {
          radius: 9, color: "#1b1f23", weight: 1, fillColor: a.fill, fillOpacity: 0.9,
        }).bindTooltip(labelled ? shortName(a.name) + " " + pct(a) : areaText(a), { permanent: labelled, className: "dash-map-label", direction: "top" });
        if (a.url) m.on("click", function () { window.location.href = a.url; });
        layers.push(m);
      });
    }
    (md.points || []).forEach(function (p) {
      layers.push(
        L.circleMarker([p.lat, p.lon], { radius: 6, color: "#1b1f23", weight: 1, fillColor: p.fill, fillOpacity: 0.95 })
          .bindTooltip(p.name + ": " + p.label, { className: "dash-map-label", direction: "top" })
      );
    });
    var group = L.featureGroup(layers).addTo(map);
    var bounds = group.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else map.setView([15.0, 101.0], 5);

  }

  function init() {
    drawChart();
    drawMap();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
