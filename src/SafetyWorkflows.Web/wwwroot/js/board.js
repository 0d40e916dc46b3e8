// 隐患台账/督办看板: draws the three charts from the page's embedded data (#board-data) with ECharts, and filters the list
// below when a bar, a slice or a level chip is clicked. The list itself is rendered by the server.
(function () {
    'use strict';
    var data = JSON.parse(document.getElementById('board-data').textContent || '{}');
    var words = document.getElementById('board-words').dataset;
    var colors = { red: '#c62828', yellow: '#f2a900', green: '#2e7d32' };
    var charts = [];
    var phone = window.matchMedia('(max-width: 640px)');

    function levelSeries(counts) {
        return ['red', 'yellow', 'green'].map(function (level) {
            return {
                name: words[level], type: 'bar', stack: 'open', barMaxWidth: 28, itemStyle: { color: colors[level] },
                data: counts.map(function (c) { return { value: c[level], key: c.key }; })
            };
        });
    }

    function countsChart(id, counts, filter) {
        var element = document.getElementById(id);
        if (!element) { return; }
        var chart = echarts.init(element, null, { renderer: 'svg' });
        var names = counts.map(function (c) { return c.name; });
        chart.setOption({
            animation: false,
            grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
            legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: phone.matches ? 100 : 140, overflow: 'truncate' } },
            series: levelSeries(counts)
        });
        chart.on('click', function (params) {
            var count = counts[params.dataIndex];
            if (count) { applyFilter(filter, count.key, count.name); }
        });
        charts.push(chart);
    }

    function trendChart(trend) {
        var element = document.getElementById('chart-trend');
        if (!element) { return; }
        var chart = echarts.init(element, null, { renderer: 'svg' });
        chart.setOption({
            animation: false,
            grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
            legend: { top: 0 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: trend.map(function (m) { return m.month; }), axisLabel: { hideOverlap: true } },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
                { name: words.found, type: 'bar', barMaxWidth: 18, itemStyle: { color: '#1f5fbf' }, data: trend.map(function (m) { return m.found; }) },
                { name: words.closed, type: 'line', symbolSize: 6, itemStyle: { color: '#2e7d32' }, data: trend.map(function (m) { return m.closed; }) }
            ]
        });
        charts.push(chart);
    }

    function applyFilter(kind, key, label) {
        var rows = document.querySelectorAll('#hazards tbody tr');
        var shown = 0;
        rows.forEach(function (row) {
            var match = !kind || row.dataset[kind] === key;
            row.hidden = !match;
            if (match) { shown++; }
        });
        var note = document.getElementById('board-filter');
        note.hidden = !kind;
        note.querySelector('span').textContent = kind ? words.showing.replace('{0}', label + ' (' + shown + ')') : '';
        if (kind && rows.length) { note.scrollIntoView({ behavior: 'smooth', block: 'start' }); }
    }

    document.querySelectorAll('[data-filter]').forEach(function (chip) {
        chip.addEventListener('click', function () {
            applyFilter(chip.dataset.filter, chip.dataset.value, words[chip.dataset.value]);
        });
    });
    document.getElementById('board-clear').addEventListener('click', function () { applyFilter(null); });

    countsChart('chart-village', data.byVillage || [], 'village');
    countsChart('chart-industry', data.byIndustry || [], 'industry');
    trendChart(data.trend || []);
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
