
payloads:
