import Foundation

/// Charts drawn on the server as SVG: no script, a title and a description for screen readers;
/// the page puts the numbers beside each chart as a table.
public enum SVGChart {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

    /// Horizontal bars, one per item, longest first as given.
    public static func bars(id: String, title: String, description: String, items: [(label: String, value: Double)])
        -> String
    {
        // Room for the longest label (about 9 units a character at the chart's font size), within bounds.
        let longest = Double(items.map(\.label.count).max() ?? 0)
        let width = 640.0
        let labelWidth = min(320, max(120, longest * 9 + 14))
        let row = 30.0
        let top = 8.0
        let height = top * 2 + row * Double(max(items.count, 1))
        let maxValue = max(items.map(\.value).max() ?? 0, 1)
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" aria-labelledby=\"\(id)-t \(id)-d\">"
        out += "<title id=\"\(id)-t\">\(escape(title))</title><desc id=\"\(id)-d\">\(escape(description))</desc>"
        if items.isEmpty { out += "<text x=\"8\" y=\"24\" class=\"empty\">—</text>" }
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * row
            let w = (width - labelWidth - 60) * item.value / maxValue
            out +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 20))\" text-anchor=\"end\">\(escape(item.label))</text>"
            out +=
                "<rect x=\"\(Int(labelWidth))\" y=\"\(Int(y + 4))\" width=\"\(String(format: "%.1f", w))\" height=\"\(Int(row - 8))\" class=\"bar\"/>"
            out +=
                "<text x=\"\(String(format: "%.1f", labelWidth + w + 6))\" y=\"\(Int(y + 20))\">\(number(item.value))</text>"
        }
        return out + "</svg>"
    }

    /// Vertical bars grouped by category (months, years), one colour per series, with a legend.
    public static func grouped(
        id: String, title: String, description: String, categories: [String], series: [(name: String, values: [Double])]
    ) -> String {
        let width = 680.0
        let height = 260.0
        let left = 52.0
        let bottom = 40.0
        let top = 28.0
        let plotW = width - left - 10
        let plotH = height - top - bottom
        let maxValue = max(series.flatMap(\.values).max() ?? 0, 1)
        let group = plotW / Double(max(categories.count, 1))
        let barW = max(2, (group - 6) / Double(max(series.count, 1)))
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" aria-labelledby=\"\(id)-t \(id)-d\">"
        out += "<title id=\"\(id)-t\">\(escape(title))</title><desc id=\"\(id)-d\">\(escape(description))</desc>"
        out +=
            "<line x1=\"\(Int(left))\" y1=\"\(Int(top + plotH))\" x2=\"\(Int(width - 10))\" y2=\"\(Int(top + plotH))\" class=\"axis\"/>"
        out += "<text x=\"\(Int(left - 4))\" y=\"\(Int(top + 4))\" text-anchor=\"end\">\(number(maxValue))</text>"
        out += "<text x=\"\(Int(left - 4))\" y=\"\(Int(top + plotH))\" text-anchor=\"end\">0</text>"
        for (c, label) in categories.enumerated() {
            let x0 = left + Double(c) * group + 3
            for (s, serie) in series.enumerated() {
                let v = c < serie.values.count ? serie.values[c] : 0
                let h = plotH * v / maxValue
                out +=
                    "<rect x=\"\(String(format: "%.1f", x0 + Double(s) * barW))\" y=\"\(String(format: "%.1f", top + plotH - h))\" width=\"\(String(format: "%.1f", barW - 1))\" height=\"\(String(format: "%.1f", h))\" class=\"bar s\(s)\"><title>\(escape(serie.name)) \(escape(label)): \(number(v))</title></rect>"
            }
            out +=
                "<text x=\"\(String(format: "%.1f", x0 + group / 2 - 3))\" y=\"\(Int(height - bottom + 20))\" text-anchor=\"middle\" class=\"tick\">\(escape(label))</text>"
        }
        for (s, serie) in series.enumerated() {
            let x = left + Double(s) * 150
            out +=
                "<rect x=\"\(Int(x))\" y=\"6\" width=\"12\" height=\"12\" class=\"bar s\(s)\"/><text x=\"\(Int(x + 16))\" y=\"17\">\(escape(serie.name))</text>"
        }
        return out + "</svg>"
    }
}
