package slow

import (
	"testing"
	"time"
)

func TestInc(t *testing.T) {
	time.Sleep(time.Hour)
	if Inc(1) != 2 {
		t.Fatal("Inc(1) != 2")
	}
}
