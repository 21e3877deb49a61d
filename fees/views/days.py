urls = []
