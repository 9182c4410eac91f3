package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Brand is Parley's colour: buttons that matter, the selected rail entry,
// focus rings, badges of one's own.
var Brand = color.NRGBA{R: 0x2f, G: 0x5f, B: 0xd0, A: 0xff}

// brandDark is Brand lightened for the dark variant, where the base colour
// is too dim against the background.
var brandDark = color.NRGBA{R: 0x6e, G: 0x95, B: 0xf0, A: 0xff}

// parleyTheme is the default Fyne theme with Parley's colour and a larger
// heading; light or dark follows the system (the variant Fyne passes in).
type parleyTheme struct{ fyne.Theme }

// Theme is Parley's theme; NewMain sets it on the app.
func Theme() fyne.Theme { return parleyTheme{theme.DefaultTheme()} }

func (t parleyTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	brand := Brand
	if v == theme.VariantDark {
		brand = brandDark
	}
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
		return brand
	case theme.ColorNameSelection:
		c := brand
		c.A = 0x40
		return c
	}
	return t.Theme.Color(n, v)
}

func (t parleyTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 17
	}
	return t.Theme.Size(n)
}
