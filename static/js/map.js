/* The input form's map: progressive enhancement of /medvirkning/{slug} (the form works
 * without it: an area or a place in words). A Leaflet map (served from node_modules by us)
 * where a click or the keyboard sets a point: the map takes focus with Tab, the arrow keys
 * move the marker, + and - zoom, and the coordinates are read out in an aria-live region and
 * written to the hidden lat/lon fields the form sends. Tiles come from the configured tile
 * server (data-tiles); without tiles (offline) the map still works: marker, keys, readout. */
(function () {
    'use strict';
    var block = document.getElementById('kart-blokk');
    if (!block || typeof L === 'undefined') {
        return;
    }
    var latField = document.getElementById('f-lat');
    var lonField = document.getElementById('f-lon');
    var status = document.getElementById('kart-status');
    var removeButton = document.getElementById('kart-fjern');
    var el = document.getElementById('kart');
    var moss = L.latLng(59.4340, 10.6590);
    var STEP_PX = 12;

    block.hidden = false;
    var map = L.map(el, {keyboard: false, scrollWheelZoom: false}).setView(moss, 13);
    L.tileLayer(block.getAttribute('data-tiles'), {
        maxZoom: 18,
        attribution: block.getAttribute('data-attribution')
    }).addTo(map);
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'application');
    el.setAttribute('aria-label', block.getAttribute('data-label'));
    el.setAttribute('aria-describedby', 'kart-hjelp kart-status');

    var marker = null;

    function fixed(n) {
        return (Math.round(n * 100000) / 100000).toFixed(5);
    }

    function show(latlng) {
        if (!latlng) {
            status.textContent = block.getAttribute('data-none');
            return;
        }
        status.textContent = block.getAttribute('data-chosen') + ': ' +
            block.getAttribute('data-lat') + ' ' + fixed(latlng.lat) + ', ' +
            block.getAttribute('data-lon') + ' ' + fixed(latlng.lng);
    }

    function place(latlng) {
        if (!marker) {
            marker = L.marker(latlng, {keyboard: false, alt: ''}).addTo(map);
        } else {
            marker.setLatLng(latlng);
        }
        latField.value = fixed(latlng.lat);
        lonField.value = fixed(latlng.lng);
        removeButton.disabled = false;
        show(latlng);
    }

    function clear() {
        if (marker) {
            map.removeLayer(marker);
            marker = null;
        }
        latField.value = '';
        lonField.value = '';
        removeButton.disabled = true;
        show(null);
    }

    map.on('click', function (e) {
        place(e.latlng);
    });

    var moves = {ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0]};
    el.addEventListener('keydown', function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey) {
            return;
        }
        var move = moves[e.key];
        if (move) {
            e.preventDefault();
            var from = marker ? marker.getLatLng() : map.getCenter();
            var p = map.project(from, map.getZoom());
            var to = marker
                ? map.unproject(p.add(L.point(move[0] * STEP_PX, move[1] * STEP_PX)), map.getZoom())
                : from;
            place(to);
            if (!map.getBounds().pad(-0.1).contains(to)) {
                map.panTo(to, {animate: false});
            }
        } else if (e.key === '+' || e.key === '=') {
            e.preventDefault();
            map.zoomIn(1, {animate: false});
        } else if (e.key === '-') {
            e.preventDefault();
            map.zoomOut(1, {animate: false});
        }
    });

    removeButton.addEventListener('click', clear);

    var lat = parseFloat(latField.value);
    var lon = parseFloat(lonField.value);
    if (isFinite(lat) && isFinite(lon)) {
        var start = L.latLng(lat, lon);
        place(start);
        map.setView(start, 15);
    } else {
        clear();
    }
}());
