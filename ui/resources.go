package ui

import (
	"fyne.io/fyne/v2"

	"github.com/parley-voip/parley/assets"
)

var (
	lockShieldResource = fyne.NewStaticResource("lock-shield.svg", assets.LockShieldSVG)
	// AppIcon is the window and application icon.
	AppIcon = fyne.NewStaticResource("icon.png", assets.IconPNG)
)
