package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

// RenderOptions are the choices a renderer may honour; each format ignores
// the ones that do not concern it. This package never reads the
// environment: the caller decides (for example colour from NO_COLOR and
// whether stdout is a terminal).
type RenderOptions struct {
	// Color enables ANSI colours in the text format.
	Color bool
}

// A Renderer writes a report in one output format.
type Renderer interface {
	// Render writes r to w. It returns an error rather than writing
	// part of a document when r cannot be rendered.
	Render(w io.Writer, r *Report) error
	// MediaType is the format's media type, e.g. "application/json".
	MediaType() string
}

// rendererFunc adapts a function to the Renderer interface.
type rendererFunc struct {
	render    func(w io.Writer, r *Report) error
	mediaType string
}

func (f rendererFunc) Render(w io.Writer, r *Report) error { return f.render(w, r) }
func (f rendererFunc) MediaType() string                   { return f.mediaType }

// formats maps each format name to its constructor. A constant table: the
// set of formats is fixed at build time.
var formats = map[string]func(RenderOptions) Renderer{
	"json": func(RenderOptions) Renderer {
		return rendererFunc{mediaType: "application/json", render: writeJSON}
	},
	"html":       newHTMLRenderer,
	"prometheus": newPrometheusRenderer,
	"junit":      newJUnitRenderer,
	"sarif":      newSARIFRenderer,
	"text": func(o RenderOptions) Renderer {
		return rendererFunc{mediaType: "text/plain; charset=utf-8", render: func(w io.Writer, r *Report) error {
			return WriteText(w, r, TextOptions{Color: o.Color})
		}}
	},
}

// Formats returns the names of the formats NewRenderer knows, sorted.
func Formats() []string {
	out := make([]string, 0, len(formats))
	for name := range formats {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// NewRenderer returns the renderer for the named format (see Formats).
func NewRenderer(format string, opts RenderOptions) (Renderer, error) {
	mk, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown report format %q (known: %s)", format, strings.Join(Formats(), ", "))
	}
	return mk(opts), nil
}

// Render renders r in the named format into memory.
func Render(format string, r *Report, opts RenderOptions) ([]byte, error) {
	rd, err := NewRenderer(format, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(w io.Writer, r *Report) error {
	if r == nil {
		return fmt.Errorf("write json report: nil report")
	}
	data, err := r.JSON() // ends in a newline
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
