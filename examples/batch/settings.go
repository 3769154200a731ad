package batch

// settings caches configuration values of several types.
var settings = map[string]interface{}{}

func init() {
	settings["timeout"] = 3000
	settings["name"] = "batch"
	settings["ratio"] = 0.5
}

// Timeout is the request timeout in milliseconds.
func Timeout() int {
	return settings["timeout"].(int)
}

// Name is the service name.
func Name() string {
	return settings["name"].(string)
}

// Ratio is the share of traffic sampled.
func Ratio() float64 {
	if r, ok := settings["ratio"].(float64); ok {
		return r
	}
	return 1
}
