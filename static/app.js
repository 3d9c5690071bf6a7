// govkpi page script. Pages carry chart options as JSON in data attributes
// (escaped by the server's templates); this file turns them into ECharts.
// Options are parsed with JSON.parse, never evaluated, so nothing in a name
// can become code. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  'use strict';
  var charts = [];
  window.govkpiCharts = charts; // for the browser tests

  function initChart(el) {
    var option = JSON.parse(el.getAttribute('data-chart'));
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option);
    var drill = el.getAttribute('data-drill');
    if (drill) {
      var urls = JSON.parse(drill);
      chart.on('click', function (p) {
        var url = urls[p.dataIndex];
        if (url) { window.location.href = url; }
      });
      chart.getZr().on('mousemove', function () { el.style.cursor = 'pointer'; });
    }
    charts.push(chart);
  }

  document.querySelectorAll('[data-chart]').forEach(initChart);
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });

  // Filter forms submit themselves when a choice changes.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    form.addEventListener('change', function () { form.submit(); });
  });
})();
