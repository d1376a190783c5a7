/* Charts as SVG (export/svg_chart.h) (stub: being written).
 * Layer: export. */
#include "export/svg_chart.h"
