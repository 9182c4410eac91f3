package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowLayout lays its visible objects out in rows, each as wide as fits
// and centred, like words in a line: the call toolbar keeps every button
// in a narrow window by taking a second row. Its minimum is the widest
// object, as many rows high as the last layout needed.
type flowLayout struct{ rows int }

func (f *flowLayout) rowsFor(objects []fyne.CanvasObject, width float32) [][]fyne.CanvasObject {
	pad := theme.Padding()
	var rows [][]fyne.CanvasObject
	var row []fyne.CanvasObject
	used := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		if len(row) > 0 && used+pad+w > width {
			rows = append(rows, row)
			row, used = nil, 0
		}
		if len(row) > 0 {
			used += pad
		}
		row = append(row, o)
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func rowHeight(objects []fyne.CanvasObject) float32 {
	h := float32(0)
	for _, o := range objects {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	return h
}

// Layout places the rows, centred.
func (f *flowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	h := rowHeight(objects)
	rows := f.rowsFor(objects, size.Width)
	f.rows = len(rows)
	y := float32(0)
	for _, row := range rows {
		w := float32(len(row)-1) * pad
		for _, o := range row {
			w += o.MinSize().Width
		}
		x := max(0, (size.Width-w)/2)
		for _, o := range row {
			ms := o.MinSize()
			o.Move(fyne.NewPos(x, y+(h-ms.Height)/2))
			o.Resize(ms)
			x += ms.Width + pad
		}
		y += h + pad
	}
}

// MinSize is the widest object, the last layout's rows high.
func (f *flowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objects {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	rows := max(1, f.rows)
	h := rowHeight(objects)
	return fyne.NewSize(w, h*float32(rows)+theme.Padding()*float32(rows-1))
}
