/**
 * The one script the pages load (besides Chart.js): draws the charts from the JSON blocks the server
 * rendered, so the figures in a chart are the figures in the table next to it. No inline script: the
 * Content-Security-Policy allows scripts from this server only.
 */
export const clientScript = `(function () {
  'use strict';
  var data = function (id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  var palette = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];
  var draw = function (name, make) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    var d = data(name + '-data');
    if (!canvas || !d || typeof Chart === 'undefined') return;
    new Chart(canvas, Object.assign({ options: { responsive: true, maintainAspectRatio: false, animation: false } }, make(d)));
    canvas.setAttribute('data-drawn', '1');
  };
  draw('funnel', function (d) {
    return { type: 'bar', data: { labels: d.labels, datasets: [{ label: d.label, data: d.values, backgroundColor: '#2563eb' }] },
      options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false } };
  });
  draw('trend', function (d) {
    return { type: 'line', data: { labels: d.labels, datasets: d.series.map(function (s, i) {
      return { label: s.label, data: s.values, borderColor: palette[i % palette.length], spanGaps: true };
    }) } };
  });
  draw('forecast', function (d) {
    var sets = d.labels.map(function (l, i) {
      return { label: l, data: [d.values[i]], backgroundColor: palette[i], stack: 'f' };
    });
    if (d.plan !== null) sets.push({ label: d.planLabel, data: [d.plan], backgroundColor: '#9ca3af', stack: 'p' });
    return { type: 'bar', data: { labels: [''], datasets: sets } };
  });
  var model = document.getElementById('model');
  if (model) model.addEventListener('change', function () { model.form.submit(); });
})();`;
