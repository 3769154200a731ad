package vetted

import "testing"

func TestScale(t *testing.T) {
	if Scale(0) != 0 {
		t.Fatal("Scale(0) != 0")
	}
}
