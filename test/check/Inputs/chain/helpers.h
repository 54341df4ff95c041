#pragma once
#include <string>

std::string load_settings(const std::string &path);
void flush_journal();
int compute_digest(int rounds);
