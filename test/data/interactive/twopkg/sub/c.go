package sub

// Three is three. FIXME: third
const Three = 3
