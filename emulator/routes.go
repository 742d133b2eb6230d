package emulator

func (e *Emulator) routes() []route { return nil }
